import { ApiProperty } from '@nestjs/swagger';

export class ErasureView {
  @ApiProperty({ format: 'uuid', description: 'The member or application erased.' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'Its organisation: every service forgets its personal data.' })
  organisationId!: string;

  @ApiProperty({ format: 'date-time' })
  erasedAt!: string;

  @ApiProperty({ type: [String], description: 'The free text erased with the contact, as marked.' })
  personalText!: string[];
}
