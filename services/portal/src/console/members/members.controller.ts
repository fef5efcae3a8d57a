import { Body, Controller, Get, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { Cluster } from '../../content';
import { localeOf, PortalCsrf, pageContext } from '../../http';
import { Locale } from '../../i18n';
import { CoordinatorOnly, SignedIn, SignedInPerson } from '../../session';
import { ApiError, HistoryEntry, UpstreamUnavailable } from '../../upstream';
import { ViewRenderer } from '../../views';
import { pagerOf, parseTrail } from '../review/review-view';
import {
  changedFields,
  conflictingFields,
  FormField,
  FormValues,
  formFieldOf,
  formValuesFrom,
  formValuesOf,
  MEMBER_FORM_FIELDS,
  MemberProfile,
  originalValuesFrom,
  patchBody,
  resolveConflicts,
} from './member-form';
import {
  allowedSteps,
  ERASABLE_TEXT,
  isMemberStep,
  markedPersonalText,
  MEMBER_STATUSES,
  memberListFilters,
  MemberStep,
  REASON_REQUIRED,
} from './member-steps';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MEMBERS_PAGE_SIZE = 25;
const NOTICES = ['suspend', 'reinstate', 'end', 'erase', 'conflict', 'saved', 'unchanged', 'ended'] as const;

interface Member extends MemberProfile {
  id: string;
  applicationId: string | null;
  registrationCode: string;
  country: string;
  membershipType: string;
  status: string;
  statusReason: string | null;
  isCoordinator: boolean;
  admittedOn: string;
  endedOn: string | null;
  /** Null while its personal data is kept. */
  erasedAt?: string | null;
}

interface EditState {
  /** What the inputs show. */
  values: FormValues;
  /** The page's `_original`: the values of `version` the changes are made against. */
  original: FormValues;
  version: number;
  /** After a 412: the fields to decide, with the newer value. */
  conflicts?: { name: string; newer: string }[];
  errors?: Record<string, string>;
}

/**
 * The coordinator's members: `/console/members` (status filter, search by name or registration
 * code, pages by legal name), a member's page (profile, history, suspend / reinstate / end with a
 * reason) and its profile form (`/console/members/:id/edit`, the member area's concurrency rule:
 * `If-Match` the version the form was made from; on a 412 the newer values are shown beside what
 * was typed and the coordinator chooses, field by field; nothing is overwritten unseen).
 */
@Controller('console/members')
@CoordinatorOnly()
export class ConsoleMembersController {
  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: PortalCsrf,
    private readonly cluster: Cluster,
  ) {}

  @Get()
  async list(
    @SignedIn() person: SignedInPerson,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const filters = memberListFilters(query);
    const trail = parseTrail(query.p);
    const api = new URLSearchParams({ limit: String(MEMBERS_PAGE_SIZE), ...filters });
    if (trail.length > 0) api.set('cursor', trail[trail.length - 1]);
    const answer = await person.apis.membership.request<{ items: Member[]; nextCursor: string | null } & ApiError>(
      `/members?${api}`,
    );
    if (answer.status === 400 && trail.length > 0) {
      res.redirect(303, pagerOf('/console/members', filters, [], null).previous ?? '/console/members');
      return;
    }
    if (answer.status !== 200) throw new UpstreamUnavailable('membership', `GET /members answered ${answer.status}`);
    res.type('html').send(
      this.views.render('console-members', pageContext(req), {
        titleKey: 'console.members.title',
        q: filters.q ?? '',
        statuses: MEMBER_STATUSES.map((status) => ({ status, selected: filters.status === status })),
        anyStatus: !filters.status,
        filtered: Boolean(filters.q || filters.status),
        items: answer.body.items,
        pager: pagerOf('/console/members', filters, trail, answer.body.nextCursor),
        firstPage: trail.length === 0,
      }),
    );
  }

  @Get(':id')
  async member(
    @SignedIn() person: SignedInPerson,
    @Param('id') id: string,
    @Query('done') done: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException();
    await this.renderMember(person, id, req, res, { notice: NOTICES.find((n) => n === done) ?? null });
  }

  @Post(':id/:step')
  async step(
    @SignedIn() person: SignedInPerson,
    @Param('id') id: string,
    @Param('step') step: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException();
    if (step === 'edit') return this.save(person, id, body, req, res);
    if (!isMemberStep(step)) throw new NotFoundException();
    const reason = typeof body?.reason === 'string' ? body.reason.trim() : '';
    if (REASON_REQUIRED[step] && reason === '') {
      return this.renderMember(person, id, req, res, {
        status: 400,
        errors: { [step]: 'console.members.step.reasonRequired' },
      });
    }
    const answer = await person.apis.membership.request<ApiError>(`/members/${id}/${step}`, {
      method: 'POST',
      body: {
        ...(reason ? { reason } : {}),
        ...(step === 'erase' ? { personalText: markedPersonalText(body?.personalText) } : {}),
      },
    });
    if (answer.status === 404) throw new NotFoundException();
    if (answer.status === 409) {
      res.redirect(303, `/console/members/${id}?done=conflict`);
      return;
    }
    if (answer.status === 400) {
      return this.renderMember(person, id, req, res, {
        status: 400,
        errors: { [step]: 'console.members.step.invalid' },
      });
    }
    if (answer.status >= 300)
      throw new UpstreamUnavailable('membership', `POST /members/:id/${step} answered ${answer.status}`);
    res.redirect(303, `/console/members/${id}?done=${step}`);
  }

  @Get(':id/edit')
  async edit(@SignedIn() person: SignedInPerson, @Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    if (!UUID.test(id)) throw new NotFoundException();
    const member = await this.fetchMember(person, id);
    if (member.status === 'ended') {
      res.redirect(303, `/console/members/${id}?done=ended`);
      return;
    }
    const values = formValuesOf(member);
    this.renderEdit(req, res, member, { values, original: values, version: member.version });
  }

  /** POST /console/members/:id/edit: the changed fields as a PATCH with If-Match; a 412 shows the conflicts. */
  private async save(
    person: SignedInPerson,
    id: string,
    body: Record<string, unknown>,
    req: Request,
    res: Response,
  ): Promise<void> {
    const typed = formValuesFrom(body);
    const original = originalValuesFrom(body?._original);
    const version = Number(body?._version);
    if (!original || !Number.isInteger(version) || version < 0) {
      // Not a form this page made: start again from what membership holds.
      res.redirect(303, `/console/members/${id}/edit`);
      return;
    }
    const conflicts = typeof body?._conflicts === 'string' ? body._conflicts.split(',').filter(Boolean) : [];
    const { values, undecided } = resolveConflicts(typed, original, conflicts, body);
    if (undecided.length > 0) {
      const member = await this.fetchMember(person, id);
      return this.renderEdit(
        req,
        res,
        member,
        {
          values: typed,
          original,
          version,
          conflicts: undecided.map((name) => ({ name, newer: original[name] })),
          errors: Object.fromEntries(undecided.map((name) => [name, 'console.members.edit.chooseOne'])),
        },
        400,
      );
    }
    const changed = changedFields(original, values);
    if (changed.length === 0) {
      res.redirect(303, `/console/members/${id}?done=unchanged`);
      return;
    }
    const answer = await person.apis.membership.request<ApiError>(`/members/${id}`, {
      method: 'PATCH',
      body: patchBody(values, changed),
      headers: { 'if-match': `"${version}"` },
    });
    if (answer.status === 404) throw new NotFoundException();
    if (answer.status === 412) {
      const member = await this.fetchMember(person, id);
      const newer = formValuesOf(member);
      const clashing = conflictingFields(original, values, newer);
      // What the person changed stays as typed; everything else shows the newer values.
      const shown = { ...newer };
      for (const name of changed) shown[name] = values[name];
      return this.renderEdit(
        req,
        res,
        member,
        {
          values: shown,
          original: newer,
          version: member.version,
          conflicts: clashing.map((name) => ({ name, newer: newer[name] })),
        },
        409,
      );
    }
    if (answer.status === 409) {
      res.redirect(303, `/console/members/${id}?done=ended`);
      return;
    }
    if (answer.status === 400) {
      const member = await this.fetchMember(person, id);
      const errors: Record<string, string> = {};
      for (const { field } of answer.body?.fields ?? []) {
        const name = formFieldOf(field);
        if (name) errors[name] = 'console.members.edit.invalid';
      }
      if (Object.keys(errors).length === 0) errors.legalName = 'console.members.edit.invalid';
      return this.renderEdit(req, res, member, { values, original, version, errors }, 400);
    }
    if (answer.status >= 300)
      throw new UpstreamUnavailable('membership', `PATCH /members/:id answered ${answer.status}`);
    res.redirect(303, `/console/members/${id}?done=saved`);
  }

  private async fetchMember(person: SignedInPerson, id: string): Promise<Member> {
    const answer = await person.apis.membership.request<Member>(`/members/${id}`);
    if (answer.status === 404) throw new NotFoundException();
    if (answer.status !== 200)
      throw new UpstreamUnavailable('membership', `GET /members/:id answered ${answer.status}`);
    return answer.body;
  }

  private async renderMember(
    person: SignedInPerson,
    id: string,
    req: Request,
    res: Response,
    options: {
      notice?: (typeof NOTICES)[number] | null;
      status?: number;
      errors?: Partial<Record<MemberStep, string>>;
    },
  ): Promise<void> {
    const [member, history] = await Promise.all([
      this.fetchMember(person, id),
      person.apis.membership.request<HistoryEntry[]>(`/members/${id}/history`),
    ]);
    const steps = allowedSteps(member.status, member.erasedAt ?? null);
    const notice = options.notice ?? null;
    res
      .status(options.status ?? 200)
      .type('html')
      .send(
        this.views.render(
          'console-member',
          pageContext(req, steps.length > 0 ? this.csrf.token(req, res) : undefined),
          {
            title: member.legalName,
            hasErrors: Boolean(options.errors && Object.keys(options.errors).length > 0),
            member,
            history: history.status === 200 ? [...history.body].reverse() : [],
            steps: steps.map((step) => ({
              step,
              reasonRequired: REASON_REQUIRED[step],
              personalText: step === 'erase' ? ERASABLE_TEXT : null,
              error: options.errors?.[step] ?? null,
            })),
            editable: member.status !== 'ended',
            notice,
            noticeKind: notice === 'conflict' || notice === 'ended' ? 'warning' : 'success',
            noticeKey: notice ? `console.members.notice.${notice}` : null,
          },
        ),
      );
  }

  private describe(locale: Locale, field: FormField, value: string): string {
    return describeWith(this.views, this.cluster, locale, field, value);
  }

  private renderEdit(req: Request, res: Response, member: Member, state: EditState, status = 200): void {
    const conflicts = state.conflicts ?? [];
    const errors = state.errors ?? {};
    const locale = localeOf(req);
    res
      .status(status)
      .type('html')
      .send(
        this.views.render('console-member-edit', pageContext(req, this.csrf.token(req, res)), {
          title: member.legalName,
          hasErrors: Object.keys(errors).length > 0,
          member,
          version: state.version,
          original: JSON.stringify(state.original),
          conflictNames: conflicts.map((c) => c.name).join(','),
          conflicted: conflicts.length > 0,
          errorSummary: Object.keys(errors).map((name) => ({
            href: `#${fieldId(name)}`,
            key: `console.members.edit.field.${name}`,
            error: errors[name],
          })),
          fields: MEMBER_FORM_FIELDS.map((field) => {
            const conflict = conflicts.find((c) => c.name === field.name);
            const value = state.values[field.name] ?? '';
            return {
              ...field,
              id: fieldId(field.name),
              labelKey: `console.members.edit.field.${field.name}`,
              value,
              checked: value === 'true',
              choices: (field.options ?? []).map((option) => ({
                value: option,
                id: `${fieldId(field.name)}-${option}`,
                labelKey: field.vocab ? `${field.vocab}${option}` : null,
                selected: field.kind === 'checkboxes' ? value.split(',').includes(option) : value === option,
              })),
              error: errors[field.name] ?? null,
              conflict: conflict ? { newer: this.describe(locale, field, conflict.newer) } : null,
              isText: field.kind === 'text' || field.kind === 'email' || field.kind === 'url',
              isTextarea: field.kind === 'textarea',
              isSelect: field.kind === 'select',
              isCheckbox: field.kind === 'checkbox',
              isCheckboxes: field.kind === 'checkboxes',
              inputType: field.kind === 'email' ? 'email' : field.kind === 'url' ? 'url' : 'text',
            };
          }),
        }),
      );
  }
}

/** A field's value in the reader's words, for the conflict box ("—" for nothing). */
function describeWith(views: ViewRenderer, cluster: Cluster, locale: Locale, field: FormField, value: string): string {
  if (value === '') return '—';
  if (field.kind === 'checkbox') return views.t(locale, `console.members.edit.${value === 'true' ? 'yes' : 'no'}`);
  if (field.kind === 'checkboxes') {
    return value
      .split(',')
      .map((key) => cluster.focusAreaTitle(locale, key))
      .join('; ');
  }
  if (field.vocab) return views.t(locale, `${field.vocab}${value}`);
  return value;
}

function fieldId(name: string): string {
  return `f-${name.replace(/\./g, '-')}`;
}
