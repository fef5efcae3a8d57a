import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Cluster } from '../content';
import { localeOf, PortalCsrf, pageContext, visitorOf } from '../http';
import { Messages } from '../i18n';
import { MemberOnly, PortalSessions, SignedIn, SignedInPerson } from '../session';
import {
  ApiError,
  BearerRefused,
  DirectoryMember,
  HistoryEntry,
  ServiceApis,
  UpstreamAnswer,
  UpstreamUnavailable,
} from '../upstream';
import { ViewRenderer } from '../views';
import {
  AccountField,
  AccountFieldError,
  accountFieldErrors,
  AccountValues,
  applyChoices,
  changedFields,
  decodeBase,
  encodeBase,
  FormScope,
  fromForm,
  fromRecord,
  MeRecord,
  merge,
  Merge,
  parseConflicts,
  parseVersion,
  scopeOf,
  toPatch,
} from './account-form';
import {
  AccountTexts,
  accountFormModel,
  conflictModel,
  directoryNotes,
  historyModel,
  readOnlyModel,
} from './account-view';

/** What the account page shows besides the record: the form's values and errors, a notice. */
interface AccountPageState {
  values?: AccountValues;
  base?: AccountValues;
  version?: number;
  errors?: AccountFieldError[];
  notice?: { kind: 'success' | 'warning'; heading?: string; text: string };
}

const SAVED_NOTICES: Record<string, string> = {
  profile: 'account.saved.profile',
  email: 'account.saved.email',
  unchanged: 'account.saved.unchanged',
};

/**
 * `/account`: the member's area. The record (membership's GET /me) as a form in sections
 * (profile, contact, consent, who sees each field), the email preference as a form of its own,
 * a preview of the profile as the directory shows it to the public and to members, and the
 * history. A post sends only the fields the member changed (PATCH /me with If-Match); when the
 * record changed meanwhile (412) the conflict page shows the newer values beside the member's
 * and asks per field. A suspended member reads, and cannot change.
 */
@Controller('account')
@MemberOnly()
export class AccountController {
  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: PortalCsrf,
    private readonly sessions: PortalSessions,
    private readonly apis: ServiceApis,
    private readonly messages: Messages,
    private readonly cluster: Cluster,
  ) {}

  @Get()
  async account(
    @SignedIn() person: SignedInPerson,
    @Query('saved') saved: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const record = await this.me(person, req, res);
    if (!record) return;
    const notice =
      typeof saved === 'string' && SAVED_NOTICES[saved]
        ? { kind: 'success' as const, text: this.texts(req).t(SAVED_NOTICES[saved]) }
        : undefined;
    await this.renderAccount(person, req, res, 200, record, { notice });
  }

  /** The profile form, the email preferences form and the conflict form all post here (`form`). */
  @Post()
  async save(@SignedIn() person: SignedInPerson, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const scope: FormScope = scopeOf(form.form);
    const base = decodeBase(form.base);
    const version = parseVersion(form.version);
    // A post without what the page was read with (an old tab, a hand-made post): read the page again.
    if (!base || version === null) return res.redirect(303, '/account');
    let values = fromForm(form, scope, base);
    if (scope === 'all') {
      const chosen = applyChoices(form, parseConflicts(form.conflicts), values, base);
      if (chosen.unchosen.length > 0) {
        const pending = { merged: values, ...this.carried(form, values, base) };
        return this.renderConflict(req, res, 400, pending, version, base, chosen.unchosen);
      }
      values = chosen.values;
    }
    const changed = changedFields(base, values);
    if (changed.length === 0) return res.redirect(303, '/account?saved=unchanged');

    let answer: UpstreamAnswer<MeRecord & ApiError>;
    try {
      answer = await person.apis.membership.request<MeRecord & ApiError>('/me', {
        method: 'PATCH',
        body: toPatch(values, changed),
        headers: { 'if-match': `"${version}"` },
      });
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
      return this.unavailable(person, req, res, values, base, version);
    }
    if (answer.status === 200) return res.redirect(303, `/account?saved=${scope === 'email' ? 'email' : 'profile'}`);
    if (answer.status === 403 && answer.body?.code === 'MEMBERSHIP_ENDED') return this.ended(req, res);

    const record = await this.me(person, req, res);
    if (!record) return;
    const texts = this.texts(req);
    if (answer.status === 412) {
      // Someone changed the record since the page was read: nothing was saved. Show both, ask.
      const current = fromRecord(record);
      return this.renderConflict(req, res, 409, merge(base, values, current), record.version, current);
    }
    if (answer.status === 403) {
      // MEMBER_READ_ONLY: suspended meanwhile.
      const notice = { kind: 'warning' as const, text: texts.t('account.notSaved.readOnly') };
      return this.renderAccount(person, req, res, 403, record, { notice });
    }
    if (answer.status === 400) {
      const errors = accountFieldErrors(answer.body ?? {}, values);
      return this.renderAccount(person, req, res, 400, record, { values, base, version, errors });
    }
    throw new UpstreamUnavailable('membership', `PATCH /me answered ${answer.status}`, answer.status);
  }

  @Get('history')
  async history(@SignedIn() person: SignedInPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    const record = await this.me(person, req, res);
    if (!record) return;
    const answer = await person.apis.membership.request<HistoryEntry[]>('/me/history');
    if (answer.status !== 200 || !Array.isArray(answer.body))
      throw new UpstreamUnavailable('membership', `GET /me/history answered ${answer.status}`);
    res.type('html').send(
      this.views.render('account-history', pageContext(req), {
        titleKey: 'account.history.title',
        member: record,
        entries: historyModel(answer.body, person.session.email ?? undefined, this.texts(req)),
      }),
    );
  }

  /** GET /me; an ended membership gets its page (and the session ends) and null. */
  private async me(person: SignedInPerson, req: Request, res: Response): Promise<MeRecord | null> {
    const answer = await person.apis.membership.request<MeRecord & ApiError>('/me');
    if (answer.status === 403 && answer.body?.code === 'MEMBERSHIP_ENDED') {
      this.ended(req, res);
      return null;
    }
    if (answer.status !== 200) throw new UpstreamUnavailable('membership', `GET /me answered ${answer.status}`);
    return answer.body;
  }

  private ended(req: Request, res: Response): void {
    this.sessions.clear(req, res);
    res
      .status(403)
      .type('html')
      .send(
        this.views.render('sign-in-problem', pageContext(req), {
          titleKey: 'signIn.membershipEnded.title',
          textKey: 'signIn.membershipEnded.text',
        }),
      );
  }

  private texts(req: Request): AccountTexts {
    return new AccountTexts(localeOf(req), this.messages, this.cluster);
  }

  /**
   * How the directory shows the member, from the directory itself: anonymously (the public) and
   * with the member's token (what every signed-in member sees). `listed: false` when it does not
   * list the member; `unavailable` when it does not answer.
   */
  private async preview(person: SignedInPerson, id: string, req: Request) {
    const one = async (asMember: boolean) => {
      try {
        const path = `/members/${encodeURIComponent(id)}`;
        const answer: UpstreamAnswer<DirectoryMember> = asMember
          ? await person.apis.directory.request<DirectoryMember>(path)
          : await this.apis.directory.request<DirectoryMember>(path, { visitor: visitorOf(req) });
        if (answer.status === 200) return { listed: true, member: answer.body };
        if (answer.status === 404) return { listed: false };
        return { unavailable: true };
      } catch (error) {
        // A directory that refuses the member's token (GET /me just took it) has no preview to give:
        // that is no reason to end the session.
        if (!(error instanceof UpstreamUnavailable) && !(error instanceof BearerRefused)) throw error;
        return { unavailable: true };
      }
    };
    const [publicView, membersView] = await Promise.all([one(false), one(true)]);
    return { public: publicView, members: membersView };
  }

  private async renderAccount(
    person: SignedInPerson,
    req: Request,
    res: Response,
    status: number,
    record: MeRecord,
    state: AccountPageState,
  ): Promise<void> {
    const locale = localeOf(req);
    const texts = this.texts(req);
    const readOnly = record.status !== 'active';
    const stored = fromRecord(record);
    const values = state.values ?? stored;
    const base = state.base ?? stored;
    const errors = state.errors ?? [];
    const preview = await this.preview(person, record.id, req);
    res
      .status(status)
      .type('html')
      .send(
        this.views.render('account', pageContext(req, readOnly ? undefined : this.csrf.token(req, res)), {
          titleKey: 'account.title',
          hasErrors: errors.length > 0,
          member: record,
          suspended: record.status === 'suspended',
          readOnly,
          email: person.session.email,
          notice: state.notice,
          base: encodeBase(base),
          version: state.version ?? record.version,
          ...(readOnly
            ? { facts: readOnlyModel(stored, texts) }
            : accountFormModel(values, errors, texts, this.cluster, locale)),
          directoryNotes: directoryNotes(record, texts),
          preview,
        }),
      );
  }

  private renderConflict(
    req: Request,
    res: Response,
    status: number,
    result: Merge,
    version: number,
    stored: AccountValues,
    unchosen: AccountField[] = [],
  ): void {
    res
      .status(status)
      .type('html')
      .send(
        this.views.render('account-conflict', pageContext(req, this.csrf.token(req, res)), {
          titleKey: 'account.conflict.title',
          hasErrors: unchosen.length > 0,
          base: encodeBase(stored),
          version,
          ...conflictModel(result, this.texts(req), unchosen),
        }),
      );
  }

  /**
   * A conflict form posted without every choice made: the same conflicts again, from what the
   * form carried (its fields are the merged values, `base` the record as stored then).
   */
  private carried(form: Record<string, unknown>, values: AccountValues, stored: AccountValues) {
    const conflicts = parseConflicts(form.conflicts).map((field) => ({
      field,
      mine: values[field],
      theirs: stored[field],
    }));
    const others = changedFields(stored, values).filter((f) => !conflicts.some((c) => c.field === f));
    return { conflicts, yours: others, theirs: [] as AccountField[] };
  }

  /** Membership did not answer the post: the form again, with what was typed, saying nothing was saved. */
  private async unavailable(
    person: SignedInPerson,
    req: Request,
    res: Response,
    values: AccountValues,
    base: AccountValues,
    version: number,
  ): Promise<void> {
    const texts = this.texts(req);
    const notice = {
      kind: 'warning' as const,
      heading: texts.t('account.notSaved.title'),
      text: texts.t('account.notSaved.unavailable'),
    };
    let record: MeRecord | null = null;
    try {
      record = await this.me(person, req, res);
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
    }
    if (res.headersSent) return;
    if (!record) throw new UpstreamUnavailable('membership', 'PATCH /me did not answer');
    return this.renderAccount(person, req, res, 503, record, { values, base, version, notice });
  }
}
