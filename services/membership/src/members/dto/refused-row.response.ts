import { ApiProperty } from '@nestjs/swagger';

export class RefusedRow {
  @ApiProperty({ description: 'Line in the file (the header is line 1).' })
  line!: number;

  @ApiProperty({
    type: [String],
    example: ['registrationCode must be a Lithuanian company code: 9 digits with a valid check digit'],
  })
  reasons!: string[];
}
