import { ApiProperty } from '@nestjs/swagger';
import { ImportedRow } from './imported-row.response';
import { RefusedRow } from './refused-row.response';

export class ImportReport {
  @ApiProperty()
  rows!: number;

  @ApiProperty({ type: [ImportedRow] })
  imported!: ImportedRow[];

  @ApiProperty({ type: [RefusedRow] })
  refused!: RefusedRow[];
}
