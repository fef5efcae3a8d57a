export { DeliveriesModule } from './deliveries.module';
export { DeliverySender } from './delivery-sender.service';
export { ApplicantLink } from './applicant-link.entity';
export { DeliveryCause } from './delivery-cause.entity';
export { SignInLink } from './sign-in-link.entity';
export { SIGN_IN_LINK_PATH, SIGN_IN_TEMPLATE, signInUrl } from './sign-in-links';
export { Delivery, DeliveryStatuses, ERASED_RECIPIENT } from './delivery.entity';
export type { DeliveryStatus } from './delivery.entity';
