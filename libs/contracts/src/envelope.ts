import { IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';

/**
 * The one envelope every event travels in. Consumers validate it (and the payload
 * against its contract) before they act on it.
 */
export class EventEnvelope<TType extends string = string, TPayload = unknown> {
  @IsUUID()
  eventId!: string;

  /** PascalCase, past tense: `MemberAdmitted`. */
  @Matches(/^[A-Z][A-Za-z]+$/)
  type!: TType;

  @IsInt()
  @Min(1)
  schemaVersion!: number;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  /** The organisation's id: the same from its application through its membership. */
  @IsUUID()
  aggregateId!: string;

  @IsUUID()
  correlationId!: string;

  @IsOptional()
  @IsUUID()
  causationId!: string | null;

  @IsString()
  @IsNotEmpty()
  producer!: string;

  @IsObject()
  payload!: TPayload;
}
