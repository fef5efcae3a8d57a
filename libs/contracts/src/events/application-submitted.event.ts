import { IsISO8601, IsUUID } from 'class-validator';
import { OrganisationPayload } from './organisation-profile';

/** An organisation applied to join the cluster. aggregateId = the organisation's id. */
export class ApplicationSubmittedV1 extends OrganisationPayload {
  @IsUUID()
  applicationId!: string;

  @IsISO8601({ strict: true })
  submittedAt!: string;
}
