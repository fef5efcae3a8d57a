import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { PortalCsrf, pageContext } from '../../http';
import { PortalConfig, sessionSecret } from '../../portal.config';
import { CoordinatorOnly, SignedIn, SignedInPerson } from '../../session';
import { ApiError, UpstreamUnavailable } from '../../upstream';
import { ViewRenderer } from '../../views';
import { IMPORT_COLUMNS, ImportReport, OPTIONAL_IMPORT_COLUMNS } from './import-columns';
import { multipartOfFile } from './multipart-form';
import { fieldOf, readUploadedCsv, refusedRowsCsv } from './refused-rows';
import { RefusedRowsSeal, refusedFileName } from './refused-rows-seal';

/** The form field of the upload, as membership's import names it too. */
const FILE_FIELD = 'file';
/** The download form's field with the sealed refused rows. */
const ROWS_FIELD = 'rows';

/**
 * `/console/import`: upload a CSV of members (a multipart form; the console's multipart middleware
 * reads it before the CSRF guard checks its `_csrf`), membership's `POST /members/import` imports
 * it, the page shows every row's result (line, name, reasons), and "download the refused rows"
 * gives those rows back as they were in the file, header included, to correct and upload again.
 */
@Controller('console/import')
@CoordinatorOnly()
export class ImportController {
  private readonly seal: RefusedRowsSeal;

  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: PortalCsrf,
    config: PortalConfig,
  ) {
    this.seal = new RefusedRowsSeal(sessionSecret(config));
  }

  @Get()
  form(@Req() req: Request, @Res() res: Response): void {
    this.page(req, res, 200, {});
  }

  @Post()
  async upload(@SignedIn() person: SignedInPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    const file = req.uploadedFiles?.find((f) => f.field === FILE_FIELD);
    if (!file || file.data.length === 0) {
      return this.page(req, res, 400, { errorKey: 'console.import.errors.noFile' });
    }
    const answer = await person.apis.membership.request<ImportReport & ApiError>('/members/import', {
      method: 'POST',
      rawBody: await multipartOfFile(FILE_FIELD, file),
      // A big file takes membership a while (about 200 rows a second).
      timeoutMs: 120_000,
    });
    if (answer.status === 413) return this.page(req, res, 413, { errorKey: 'console.import.errors.tooLarge' });
    if (answer.status === 400) {
      const detail = Array.isArray(answer.body?.message) ? answer.body.message.join('; ') : answer.body?.message;
      return this.page(req, res, 400, { errorKey: 'console.import.errors.invalid', errorDetail: detail ?? '' });
    }
    if (answer.status !== 201)
      throw new UpstreamUnavailable('membership', `POST /members/import answered ${answer.status}`);
    const report = answer.body;
    const csv = readUploadedCsv(file.data);
    const recordAt = new Map(csv?.records.map((r) => [r.line, r]) ?? []);
    const nameAt = (line: number) => {
      const record = recordAt.get(line);
      return csv && record ? fieldOf(csv, record, 'legalName') : '';
    };
    const results = [
      ...report.imported.map((r) => ({ line: r.line, legalName: r.legalName, imported: true, reasons: [] })),
      ...report.refused.map((r) => ({ line: r.line, legalName: nameAt(r.line), imported: false, reasons: r.reasons })),
    ].sort((a, b) => a.line - b.line);
    const download =
      csv && report.refused.length > 0
        ? await this.seal.seal(
            {
              fileName: refusedFileName(file.name),
              csv: refusedRowsCsv(
                csv,
                report.refused.map((r) => r.line),
              ),
            },
            person.session.subject,
          )
        : null;
    this.page(req, res, 200, {
      report,
      fileName: file.name,
      results,
      download,
      allImported: report.refused.length === 0,
    });
  }

  @Post('refused')
  async refused(@SignedIn() person: SignedInPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    const sealed = (req.body as Record<string, unknown> | undefined)?.[ROWS_FIELD];
    const download = await this.seal.open(sealed, person.session.subject);
    if (!download) return this.page(req, res, 410, { errorKey: 'console.import.errors.downloadExpired' });
    res.type('text/csv; charset=utf-8');
    res.attachment(download.fileName);
    res.send(download.csv);
  }

  private page(req: Request, res: Response, status: number, model: Record<string, unknown>): void {
    res
      .status(status)
      .type('html')
      .send(
        this.views.render('console-import', pageContext(req, this.csrf.token(req, res)), {
          titleKey: 'console.import.title',
          hasErrors: Boolean(model.errorKey),
          columns: IMPORT_COLUMNS.map((name) => ({ name, optional: OPTIONAL_IMPORT_COLUMNS.includes(name) })),
          ...model,
        }),
      );
  }
}
