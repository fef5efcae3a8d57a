import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy, ValidationArguments } from 'class-validator';
import { Dimension, Dimensions, SectorLevel, SectorLevels } from '../composition';
import { DefaultsTo, FormatParam, IsDay, today } from './report-params';

export class CompositionQuery extends FormatParam {
  @ApiProperty({ enum: Dimensions })
  @IsIn(Dimensions, { message: `by must be one of: ${Dimensions.join(', ')}` })
  by!: Dimension;

  @ApiPropertyOptional({
    format: 'date',
    example: '2025-12-31',
    description: 'The members as they were at the end of this day (UTC). Default: today.',
  })
  @DefaultsTo(() => today())
  @IsDay('asOf')
  asOf!: string;

  @ApiPropertyOptional({
    enum: SectorLevels,
    default: 'section',
    description: 'NACE level for by=sector: section (C), division (C26), group (C26.1) or class (C26.11).',
  })
  @IsOptional()
  @IsIn(SectorLevels, { message: `level must be one of: ${SectorLevels.join(', ')}` })
  @ValidateBy({
    name: 'onlyForSector',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => (args?.object as CompositionQuery).by === 'sector',
      defaultMessage: () => 'level applies only to by=sector',
    },
  })
  level?: SectorLevel;
}
