import { Controller, Get, Res } from '@nestjs/common';
import { Response } from 'express';
import { ServiceApis } from '../upstream';
import { UpstreamNames } from '../upstream';

/**
 * GET /health: readiness, naming which of the services' APIs answer. The portal degrades part
 * by part (the directory pages work while membership is down), so it is ready while at least
 * one answers: 200 with `status: "ok"` when all do, `"degraded"` when some do, 503 when none.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly apis: ServiceApis) {}

  @Get()
  async ready(@Res() res: Response): Promise<void> {
    const answers = await Promise.all(UpstreamNames.map((name) => this.apis.clients[name].alive()));
    const details = Object.fromEntries(UpstreamNames.map((name, i) => [name, { status: answers[i] ? 'up' : 'down' }]));
    const up = answers.filter(Boolean).length;
    const status = up === answers.length ? 'ok' : up > 0 ? 'degraded' : 'error';
    res
      .status(up > 0 ? 200 : 503)
      .setHeader('Cache-Control', 'no-store')
      .json({ status, details });
  }

  /** Liveness: the process serves HTTP. */
  @Get('live')
  live(): { status: string } {
    return { status: 'ok' };
  }
}
