import { Controller, Get, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Coordinator } from '@valley/platform';
import type { Response } from 'express';
import { CompositionQuery } from './dto/composition.query';
import { GrowthQuery } from './dto/growth.query';
import { MemberCountQuery } from './dto/member-count.query';
import { MemberCountResponse } from './dto/member-count.response';
import { DateRangeParams, ReportFormat } from './dto/report-params';
import { RetentionQuery } from './dto/retention.query';
import { RosterQuery } from './dto/roster.query';
import { toCsv } from '@valley/platform';
import { renderChart } from './render/svg-chart';
import { ReportView } from './report-view';
import { ReportsService } from './reports.service';

const BAD_PARAMS = 'A missing or bad parameter, or `from` after `to`; `fields` names each one.';

@ApiTags('reports')
@Controller('reports')
@Coordinator()
@ApiUnauthorizedResponse({ description: 'No or bad coordinator token (403 without the coordinator role).' })
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('member-count')
  @ApiOperation({ summary: 'How many members the cluster had at the end of a day (coordinator).' })
  @ApiOkResponse({ type: MemberCountResponse })
  @ApiBadRequestResponse({ description: '`asOf` is not a date.' })
  async memberCount(@Query() query: MemberCountQuery): Promise<MemberCountResponse> {
    return { asOf: query.asOf, members: await this.reports.memberCount(query.asOf) };
  }

  @Get('roster')
  @ApiOperation({
    summary:
      'Every member at the end of a day, as it was then: membership and organisation type, size, country, region, sectors, focus areas, status, admission day (coordinator).',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiBadRequestResponse({ description: '`asOf` is not a date, or `format` is neither json nor csv.' })
  async roster(@Query() q: RosterQuery, @Res({ passthrough: true }) res: Response) {
    const view = await this.reports.roster(q.asOf);
    if ((q.format ?? 'json') === 'json') return view.json;
    res.type('text/csv; charset=utf-8');
    res.attachment(`${view.name}.csv`);
    return toCsv(view.table);
  }

  @Get('growth')
  @ApiOperation({ summary: 'Members at the end of each interval, admissions, exits, net change.' })
  @ApiProduces('application/json', 'text/csv', 'image/svg+xml')
  @ApiBadRequestResponse({ description: BAD_PARAMS })
  async growth(@Query() q: GrowthQuery, @Res({ passthrough: true }) res: Response) {
    return render(await this.reports.growth(q.from, q.to, q.interval), q.format, res);
  }

  @Get('composition')
  @ApiOperation({ summary: 'Members by a dimension as they were at the end of a day.' })
  @ApiProduces('application/json', 'text/csv', 'image/svg+xml')
  @ApiBadRequestResponse({ description: BAD_PARAMS })
  async composition(@Query() q: CompositionQuery, @Res({ passthrough: true }) res: Response) {
    return render(await this.reports.composition(q.by, q.asOf, q.level), q.format, res);
  }

  @Get('retention')
  @ApiOperation({
    summary:
      'Per admission cohort (year or quarter): memberships begun, still running now, and the share still running 1, 2, 3… years after admission (coordinator).',
  })
  @ApiProduces('application/json', 'text/csv', 'image/svg+xml')
  @ApiBadRequestResponse({
    description: '`cohort` is neither year nor quarter, `asOf` is not a date, or a bad `format`.',
  })
  async retention(@Query() q: RetentionQuery, @Res({ passthrough: true }) res: Response) {
    return render(await this.reports.retention(q.cohort ?? 'year', q.asOf), q.format, res);
  }

  @Get('funnel')
  @ApiOperation({
    summary: 'Applications submitted in the range: outcomes, conversion, time to decision, oldest still open.',
  })
  @ApiProduces('application/json', 'text/csv', 'image/svg+xml')
  @ApiBadRequestResponse({ description: BAD_PARAMS })
  async funnel(@Query() q: DateRangeParams, @Res({ passthrough: true }) res: Response) {
    return render(await this.reports.funnel(q.from, q.to), q.format, res);
  }

  @Get('notifications')
  @ApiOperation({ summary: 'Emails sent and failed per template and language, failure rate.' })
  @ApiProduces('application/json', 'text/csv', 'image/svg+xml')
  @ApiBadRequestResponse({ description: BAD_PARAMS })
  async notifications(@Query() q: DateRangeParams, @Res({ passthrough: true }) res: Response) {
    return render(await this.reports.notifications(q.from, q.to), q.format, res);
  }
}

function render<J extends object>(view: ReportView<J>, format: ReportFormat = 'json', res: Response): J | string {
  if (format === 'json') return view.json;
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8');
    res.attachment(`${view.name}.csv`);
    return toCsv(view.table);
  }
  res.type('image/svg+xml; charset=utf-8');
  res.setHeader('Content-Disposition', `inline; filename="${view.name}.svg"`);
  return renderChart(view.chart);
}
