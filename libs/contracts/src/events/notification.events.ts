import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { ContactLanguage, ContactLanguages } from '../membership/vocabulary';

/** Who an email went to, without saying who (topics keep their history: no addresses on them). */
export const RecipientKinds = ['applicant', 'coordinator', 'member'] as const;
export type RecipientKind = (typeof RecipientKinds)[number];

class DeliveryOutcome {
  @IsUUID()
  deliveryId!: string;

  /** The event that caused the email. */
  @IsUUID()
  causeEventId!: string;

  @IsString()
  @IsNotEmpty()
  causeEventType!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  template!: string;

  @IsIn(ContactLanguages)
  language!: ContactLanguage;

  @IsIn(RecipientKinds)
  recipientKind!: RecipientKind;

  @IsInt()
  @Min(1)
  attempts!: number;
}

/** An email was accepted by the SMTP server. aggregateId = deliveryId. */
export class NotificationSentV1 extends DeliveryOutcome {
  @IsISO8601({ strict: true })
  sentAt!: string;
}

/** An email failed for good (permanent refusal or out of tries). aggregateId = deliveryId. */
export class NotificationFailedV1 extends DeliveryOutcome {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsISO8601({ strict: true })
  failedAt!: string;
}
