export { PlanningModule } from './planning.module';
export { DeliveryPlanner, NOTIFICATIONS_CONSUMER } from './delivery-planner.service';
