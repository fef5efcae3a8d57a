import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Cluster } from '../content';
import { Messages } from '../i18n';
import { PortalCookies } from '../http';
import { PortalCsrf } from '../http';
import { localeOf, pageContext, visitorOf } from '../http';
import { ApiError, ServiceApis, SubmittedApplication } from '../upstream';
import { UpstreamUnavailable } from '../upstream';
import { ViewRenderer } from '../views';
import { applyFormModel } from './apply-form-view';
import { FieldError, fieldErrors, FormValues, formValues, refusalKey, toApplicationBody } from './application-form';

/**
 * `/apply`: the application form. A post goes to membership's `POST /applications` as it is;
 * a 400 comes back as errors beside the fields (and in the summary), with what was typed kept;
 * a 409 is explained in words; when membership does not answer, the form says it cannot take
 * applications now and keeps what was typed. A 201 sets the applicant's cookie and goes on to
 * the confirmation page with the reference and the link to follow the application.
 */
@Controller('apply')
export class ApplyController {
  constructor(
    private readonly apis: ServiceApis,
    private readonly views: ViewRenderer,
    private readonly messages: Messages,
    private readonly cluster: Cluster,
    private readonly csrf: PortalCsrf,
    private readonly cookies: PortalCookies,
  ) {}

  @Get()
  async form(@Req() req: Request, @Res() res: Response): Promise<void> {
    const available = await this.apis.membership.alive(800);
    this.render(req, res, available ? 200 : 503, {}, [], { unavailable: !available });
  }

  @Post()
  async submit(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const values = formValues(body);
    let answer;
    try {
      answer = await this.apis.membership.request<SubmittedApplication & ApiError>('/applications', {
        method: 'POST',
        body: toApplicationBody(values),
        visitor: visitorOf(req),
      });
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
      return this.render(req, res, 503, values, [], { unavailable: true, failedToSend: true });
    }
    if (answer.status === 201) {
      this.cookies.setApplicantToken(res, answer.body.id, answer.body.applicantToken);
      res.redirect(303, `/applications/${answer.body.id}/submitted`);
      return;
    }
    if (answer.status === 400 && answer.body?.fields) {
      return this.render(req, res, 400, values, fieldErrors(answer.body, values));
    }
    const key = refusalKey(answer.status, answer.body ?? {});
    const field = answer.status === 409 ? 'registrationCode' : 'legalName';
    return this.render(req, res, answer.status === 409 ? 409 : 400, values, [{ field, key }]);
  }

  private render(
    req: Request,
    res: Response,
    status: number,
    values: FormValues,
    errors: FieldError[],
    extra: Record<string, unknown> = {},
  ): void {
    const locale = localeOf(req);
    res
      .status(status)
      .type('html')
      .send(
        this.views.render('apply', pageContext(req, this.csrf.token(req, res)), {
          titleKey: 'apply.title',
          hasErrors: errors.length > 0,
          scripts: ['js/company-code.js', 'js/apply.js'],
          ...applyFormModel(values, errors, locale, this.messages, this.cluster),
          ...extra,
        }),
      );
  }
}
