import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/page';
import { ApplicationStatus, ApplicationStatuses } from '../application.entity';

export const ApplicationOrders = ['newest', 'oldest'] as const;
export type ApplicationOrder = (typeof ApplicationOrders)[number];

export class ListApplicationsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ApplicationStatuses,
    description:
      'Only applications of this status; repeat it for either of several (`status=submitted&status=under_review`: the review queue).',
  })
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) ? value : [value]))
  @ArrayMaxSize(ApplicationStatuses.length)
  @IsIn(ApplicationStatuses, { each: true })
  status?: ApplicationStatus[];

  @ApiPropertyOptional({
    enum: ApplicationOrders,
    default: 'newest',
    description:
      '`newest` first (default) or `oldest` first (the review queue), by submission time. A cursor continues the order it was made in.',
  })
  @IsOptional()
  @IsIn(ApplicationOrders)
  order?: ApplicationOrder;
}
