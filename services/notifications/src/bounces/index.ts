export { BouncesModule } from './bounces.module';
export { BounceList } from './bounce-list.service';
export type { Bounce, BouncingContact } from './bounce-list.service';
export { BounceReceiver } from './bounce-receiver';
export { BouncingAddress } from './bouncing-address.entity';
export { parseDeliveryStatusReport } from './delivery-status';
