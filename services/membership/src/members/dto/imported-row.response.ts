import { ApiProperty } from '@nestjs/swagger';

export class ImportedRow {
  @ApiProperty({ description: 'Line in the file (the header is line 1).' })
  line!: number;

  @ApiProperty({ format: 'uuid' })
  memberId!: string;

  @ApiProperty()
  legalName!: string;
}
