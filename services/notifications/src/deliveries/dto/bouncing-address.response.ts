import { ApiProperty } from '@nestjs/swagger';
import { BounceSources } from '@valley/contracts';

export class BouncingAddressResponse {
  @ApiProperty({
    example: 'ona@example.lt',
    description: 'Gets no mail until the contact that has it changes its email.',
  })
  address!: string;

  @ApiProperty({
    enum: BounceSources,
    description: '`smtp`: the relay refused the recipient (5xx at RCPT); `dsn`: a bounce report said it failed.',
  })
  source!: string;

  @ApiProperty({ type: String, nullable: true, example: '5.1.1', description: 'Enhanced status code (RFC 3463).' })
  statusCode!: string | null;

  @ApiProperty({ example: '550 5.1.1 <ona@example.lt>: Recipient address rejected: User unknown' })
  reason!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The delivery that bounced, when known.' })
  deliveryId!: string | null;

  @ApiProperty({ format: 'date-time' })
  bouncedAt!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The organisation whose contact has this address (null: an address no contact has, e.g. an applicant’s).',
  })
  organisationId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  legalName!: string | null;
}

export class BouncingAddressListResponse {
  @ApiProperty({ type: [BouncingAddressResponse], description: 'Newest bounce first (at most 1,000).' })
  items!: BouncingAddressResponse[];
}
