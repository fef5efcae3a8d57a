import { ApiProperty } from '@nestjs/swagger';
import { ApplicationStatuses } from '../application.entity';
import { ApplicationView } from './application.response';

export class ApplicationPage {
  @ApiProperty({ type: [ApplicationView] })
  items!: ApplicationView[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last.' })
  nextCursor!: string | null;

  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(ApplicationStatuses.map((s) => [s, { type: 'integer', minimum: 0 }])),
    required: [...ApplicationStatuses],
    description: 'How many applications there are of each status, whatever the filter (the review queue’s counts).',
  })
  counts!: Record<(typeof ApplicationStatuses)[number], number>;
}
