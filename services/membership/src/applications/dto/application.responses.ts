import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ContactLanguage,
  ContactLanguages,
  FocusArea,
  FocusAreas,
  OrganisationType,
  OrganisationTypes,
  SizeClass,
  SizeClasses,
} from '@valley/contracts';
import { ApplicationStatuses, ApplicationStatus } from '../application.entity';

export class SubmittedApplicationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The organisation id; it becomes the member id on admission.' })
  organisationId!: string;

  @ApiProperty({ enum: ApplicationStatuses })
  status!: ApplicationStatus;

  @ApiProperty({ description: 'Shown once: lets the applicant follow or withdraw its application.' })
  applicantToken!: string;

  @ApiProperty({ format: 'date-time' })
  submittedAt!: string;
}

export class AdmittedMemberResponse {
  @ApiProperty({ format: 'uuid' })
  memberId!: string;

  @ApiProperty({ format: 'uuid' })
  applicationId!: string;

  @ApiProperty({ enum: ApplicationStatuses, example: 'admitted' })
  status!: ApplicationStatus;

  @ApiProperty({ format: 'date', example: '2026-11-27' })
  admittedOn!: string;
}

export class ContactView {
  @ApiProperty()
  name!: string;

  @ApiProperty()
  email!: string;

  @ApiPropertyOptional()
  phone?: string;

  @ApiProperty({ enum: ContactLanguages })
  language!: ContactLanguage;
}

export class ConsentView {
  @ApiProperty()
  publicListing!: boolean;

  @ApiProperty()
  announcements!: boolean;

  @ApiPropertyOptional()
  publicContact?: boolean;
}

/** An application as the coordinator (or its applicant) sees it. */
export class ApplicationView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ enum: ApplicationStatuses })
  status!: ApplicationStatus;

  @ApiProperty()
  legalName!: string;

  @ApiProperty()
  registrationCode!: string;

  @ApiProperty()
  country!: string;

  @ApiProperty()
  region!: string;

  @ApiProperty({ enum: OrganisationTypes })
  organisationType!: OrganisationType;

  @ApiProperty({ enum: SizeClasses })
  sizeClass!: SizeClass;

  @ApiProperty({ type: [String] })
  sectorCodes!: string[];

  @ApiProperty({ enum: FocusAreas, isArray: true })
  focusAreas!: FocusArea[];

  @ApiProperty({ nullable: true, type: String })
  website!: string | null;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;

  @ApiProperty({ nullable: true, type: String })
  motivation!: string | null;

  @ApiProperty({ type: ContactView })
  contact!: ContactView;

  @ApiProperty({ type: ConsentView })
  consent!: ConsentView;

  @ApiProperty({ format: 'date-time' })
  submittedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  decidedAt!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'JWT subject of the coordinator who decided.' })
  decidedBy!: string | null;

  @ApiProperty({ nullable: true, type: String })
  decisionReason!: string | null;
}

export class ApplicationPage {
  @ApiProperty({ type: [ApplicationView] })
  items!: ApplicationView[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last.' })
  nextCursor!: string | null;
}

export class HistoryEntryView {
  @ApiProperty({ example: 'rejected' })
  action!: string;

  @ApiProperty({ nullable: true, type: String })
  fromStatus!: string | null;

  @ApiProperty({ nullable: true, type: String })
  toStatus!: string | null;

  @ApiProperty({ description: 'JWT subject of the coordinator, `applicant`, or `system`.' })
  actor!: string;

  @ApiProperty({ nullable: true, type: String })
  reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}
