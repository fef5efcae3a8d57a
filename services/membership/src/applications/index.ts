// The applications' front door: what other features may use of applications/.
export { Application } from './application.entity';
export { ApplicationsService, toApplicationView } from './applications.service';
export { SubmitApplicationDto } from './dto/submit-application.dto';
export { ApplicationIdParams } from './dto/application-id.params';
