import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent, TypedEvent } from '@valley/contracts';
import { OutboxRelay } from '@valley/messaging';
import { Actor } from '@valley/platform';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { clusterDate } from '../common/cluster-calendar';
import {
  applicantAccessIssuedPayload,
  applicationRejectedPayload,
  applicationSubmittedPayload,
  applicationWithdrawnPayload,
} from '../common/event-payloads';
import { profileOf } from '../common/organisation-profile';
import { decodeCursor, encodeCursor } from '../common/page';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { duplicateAs } from '../errors/unique-violation';
import { historyOf, HistoryEntryView, HistoryStep, recordHistory, toHistoryView } from '../history';
import { admitMembers, refuseExistingMember } from '../members';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { Application, ApplicationStatus, ApplicationStatuses } from './application.entity';
import { AdmitApplicationDto } from './dto/admit-application.dto';
import { AdmittedMemberResponse } from './dto/admitted-member.response';
import { ApplicationPage } from './dto/application-page.response';
import { ApplicationView } from './dto/application.response';
import { ListApplicationsQuery } from './dto/list-applications.query';
import { RejectApplicationDto } from './dto/reject-application.dto';
import { ReviewApplicationDto } from './dto/review-application.dto';
import { SubmitApplicationDto } from './dto/submit-application.dto';
import { SubmittedApplicationResponse } from './dto/submitted-application.response';
import { WithdrawApplicationDto } from './dto/withdraw-application.dto';
import { appendSealedToOutbox } from '../personal-data';

/** The application lifecycle: which step may follow which. Anything else is a 409 that changes nothing. */
export const APPLICATION_TRANSITIONS = {
  review: { from: ['submitted'], to: 'under_review' },
  admit: { from: ['submitted', 'under_review'], to: 'admitted' },
  reject: { from: ['submitted', 'under_review'], to: 'rejected' },
  withdraw: { from: ['submitted', 'under_review'], to: 'withdrawn' },
} as const satisfies Record<string, { from: readonly ApplicationStatus[]; to: ApplicationStatus }>;
export type ApplicationStep = keyof typeof APPLICATION_TRANSITIONS;

/** Who asks to see or withdraw an application: a coordinator, or the applicant with its token. */
export type ApplicationViewer = { coordinator: Actor } | { applicantToken: string };

/** What time it is; the demo command replays a cluster's past with its own clock. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;

/** The application rules. Every change commits together with its history and the events that announce it. */
@Injectable()
export class ApplicationsService {
  private readonly now: Clock;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OutboxRelay) private readonly relay: Pick<OutboxRelay, 'wake'>,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.now = clock ?? (() => new Date());
  }

  async submit(dto: SubmitApplicationDto): Promise<SubmittedApplicationResponse> {
    const { token, hash } = newSecretToken();
    const submittedAt = this.now();
    const application = await this.inTransaction(async (manager) => {
      await refuseExistingMember(manager, dto.country, dto.registrationCode);
      const created = manager.getRepository(Application).create({
        ...dto,
        id: randomUUID(),
        organisationId: randomUUID(),
        status: 'submitted',
        website: dto.website ?? null,
        description: dto.description ?? null,
        motivation: dto.motivation ?? null,
        contact: { ...dto.contact },
        consent: { ...dto.consent },
        applicantTokenHash: hash,
        submittedAt,
        decisionReason: null,
        erasedAt: null,
      });
      await manager.getRepository(Application).insert(created).catch(duplicateAs(MembershipErrorCode.ALREADY_APPLIED));
      await recordHistory(manager, [
        {
          subject: 'application',
          subjectId: created.id,
          action: 'submitted',
          toStatus: 'submitted',
          actor: 'applicant',
          at: submittedAt,
        },
      ]);
      const submitted = createEvent({
        type: 'ApplicationSubmitted',
        producer: 'membership',
        aggregateId: created.organisationId,
        occurredAt: submittedAt,
        payload: applicationSubmittedPayload(created),
      });
      // The token for the acknowledgement email's status link: on the short-lived access topic
      // only, and its outbox row is deleted once published (see isSecretTopic).
      const access = createEvent({
        type: 'ApplicantAccessIssued',
        producer: 'membership',
        aggregateId: created.organisationId,
        occurredAt: submittedAt,
        correlationId: submitted.correlationId,
        causationId: submitted.eventId,
        payload: applicantAccessIssuedPayload(created, token),
      });
      await appendSealedToOutbox(manager, [submitted, access]);
      return created;
    });
    return {
      id: application.id,
      organisationId: application.organisationId,
      status: application.status,
      applicantToken: token,
      submittedAt: submittedAt.toISOString(),
    };
  }

  async review(applicationId: string, actor: Actor, dto: ReviewApplicationDto): Promise<ApplicationView> {
    const updated = await this.step(applicationId, 'review', actor.subject, dto.note ?? null, () => []);
    return toApplicationView(updated);
  }

  async admit(applicationId: string, actor: Actor, dto: AdmitApplicationDto): Promise<AdmittedMemberResponse> {
    const admittedAt = this.now();
    const admittedOn = clusterDate(admittedAt);
    const admitted = await this.step(
      applicationId,
      'admit',
      actor.subject,
      dto.note ?? null,
      async (manager, application, _at, history) => {
        // The organisation becomes a member with the id it applied with; its MemberAdmitted event
        // goes into the outbox in this transaction (members/admission.ts). Whether it already is
        // one (imported while the application was open) is the members' unique key's to say: no
        // statement of its own on the way of every admission.
        await admitMembers(
          manager,
          [
            {
              ...profileOf(application),
              id: application.organisationId,
              applicationId: application.id,
              membershipType: 'full',
              admittedOn,
            },
          ],
          { action: 'admitted', actor: actor.subject, at: admittedAt, reason: () => dto.note ?? null },
          { history },
        ).catch(
          duplicateAs(
            MembershipErrorCode.ALREADY_MEMBER,
            `an organisation with registration code ${application.registrationCode} (${application.country}) is already a member`,
          ),
        );
        return [];
      },
    );
    return { memberId: admitted.organisationId, applicationId, status: 'admitted', admittedOn };
  }

  async reject(applicationId: string, actor: Actor, dto: RejectApplicationDto): Promise<ApplicationView> {
    const updated = await this.step(applicationId, 'reject', actor.subject, dto.reason, (_, application, at) => [
      createEvent({
        type: 'ApplicationRejected',
        producer: 'membership',
        aggregateId: application.organisationId,
        occurredAt: at,
        payload: applicationRejectedPayload(application, dto.reason, at),
      }),
    ]);
    return toApplicationView(updated);
  }

  /** The applicant withdraws with its token; a coordinator cannot withdraw on its behalf. */
  async withdraw(applicationId: string, applicantToken: string, dto: WithdrawApplicationDto): Promise<ApplicationView> {
    const updated = await this.step(
      applicationId,
      'withdraw',
      'applicant',
      dto.reason ?? null,
      (_, application, at) => [
        createEvent({
          type: 'ApplicationWithdrawn',
          producer: 'membership',
          aggregateId: application.organisationId,
          occurredAt: at,
          payload: applicationWithdrawnPayload(application, dto.reason, at),
        }),
      ],
      applicantToken,
    );
    return toApplicationView(updated);
  }

  async get(applicationId: string, viewer: ApplicationViewer): Promise<ApplicationView> {
    const application = await this.dataSource.getRepository(Application).findOneBy({ id: applicationId });
    if (!application || ('applicantToken' in viewer && !tokenMatches(application, viewer.applicantToken))) {
      throw notFound(applicationId);
    }
    const view = toApplicationView(application);
    // As in its history: the applicant learns that the coordinator decided, not which of its staff.
    return 'applicantToken' in viewer && view.decidedBy && view.decidedBy !== 'applicant'
      ? { ...view, decidedBy: 'coordinator' }
      : view;
  }

  /**
   * The application's history. Its applicant sees the same steps, but not who of the coordinator's
   * staff took them (`coordinator`) nor their internal notes: only its own reasons and a rejection's
   * (which is published and emailed to it anyway).
   */
  async history(applicationId: string, viewer: ApplicationViewer): Promise<HistoryEntryView[]> {
    const application = await this.dataSource.getRepository(Application).findOneBy({ id: applicationId });
    if (!application || ('applicantToken' in viewer && !tokenMatches(application, viewer.applicantToken))) {
      throw notFound(applicationId);
    }
    const entries = (await historyOf(this.dataSource.manager, applicationId)).map(toHistoryView);
    return 'applicantToken' in viewer ? entries.map(asApplicantSees) : entries;
  }

  /**
   * Newest first (or oldest first with `order=oldest`), keyset-paginated on (submittedAt, id), of
   * one or several statuses; with the counts per status of all applications.
   */
  async list(query: ListApplicationsQuery): Promise<ApplicationPage> {
    const limit = query.limit ?? 50;
    const oldest = query.order === 'oldest';
    const direction = oldest ? 'ASC' : 'DESC';
    const qb = this.dataSource
      .getRepository(Application)
      .createQueryBuilder('a')
      .orderBy('a.submitted_at', direction)
      .addOrderBy('a.id', direction)
      .limit(limit + 1);
    if (query.status?.length) qb.andWhere('a.status IN (:...statuses)', { statuses: [...new Set(query.status)] });
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      // The key is a submission time as the previous page wrote it (toISOString); anything else,
      // even what Date.parse takes ('1', 30 February), Postgres may refuse as a timestamp.
      if (!cursor || !isIsoInstant(cursor.key)) throw badCursor();
      qb.andWhere(`(a.submitted_at, a.id) ${oldest ? '>' : '<'} (:at, :id)`, { at: cursor.key, id: cursor.id });
    }
    const [rows, counted] = await Promise.all([
      qb.getMany(),
      this.dataSource
        .getRepository(Application)
        .createQueryBuilder('a')
        .select('a.status', 'status')
        .addSelect('count(*)::int', 'count')
        .groupBy('a.status')
        .getRawMany<{ status: ApplicationStatus; count: number }>(),
    ]);
    const counts = Object.fromEntries(ApplicationStatuses.map((s) => [s, 0])) as ApplicationPage['counts'];
    for (const { status, count } of counted) counts[status] = Number(count);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toApplicationView),
      nextCursor: rows.length > limit ? encodeCursor({ key: last.submittedAt.toISOString(), id: last.id }) : null,
      counts,
    };
  }

  /**
   * One lifecycle step: lock the application, check the transition (and the applicant's token),
   * apply it, record who did it and why, and append the events the step produces, in one transaction.
   */
  private async step(
    applicationId: string,
    step: ApplicationStep,
    actor: string,
    reason: string | null,
    effects: (
      manager: EntityManager,
      application: Application,
      at: Date,
      history: HistoryStep[],
    ) => Promise<TypedEvent[]> | TypedEvent[],
    applicantToken?: string,
  ): Promise<Application> {
    const transition = APPLICATION_TRANSITIONS[step];
    const at = this.now();
    return this.inTransaction(async (manager) => {
      const applications = manager.getRepository(Application);
      const application = await applications.findOne({
        where: { id: applicationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!application || (applicantToken !== undefined && !tokenMatches(application, applicantToken))) {
        throw notFound(applicationId);
      }
      if (!(transition.from as readonly ApplicationStatus[]).includes(application.status)) {
        throw new MembershipException(
          MembershipErrorCode.TRANSITION_NOT_ALLOWED,
          `an application that is ${application.status} cannot be ${transition.to.replace('_', ' ')}`,
        );
      }
      // The step's history, and whatever the effects add to it (an admission's member step), in one insert.
      const history: HistoryStep[] = [
        {
          subject: 'application',
          subjectId: application.id,
          action: step === 'review' ? 'review_started' : transition.to,
          fromStatus: application.status,
          toStatus: transition.to,
          actor,
          reason,
          at,
        },
      ];
      const events = await effects(manager, application, at, history);
      const decided = step !== 'review';
      const changes: Partial<Application> = {
        status: transition.to,
        ...(decided ? { decidedAt: at, decidedBy: actor, decisionReason: reason } : {}),
      };
      await applications.update({ id: application.id }, changes);
      await recordHistory(manager, history);
      await appendSealedToOutbox(manager, events);
      return { ...application, ...changes, version: application.version + 1 };
    });
  }

  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.relay.wake();
    return result;
  }
}

const APPLICANT_VISIBLE_ACTORS = ['applicant', 'system'];

function asApplicantSees(entry: HistoryEntryView): HistoryEntryView {
  const ownOrSystem = APPLICANT_VISIBLE_ACTORS.includes(entry.actor);
  return {
    ...entry,
    actor: ownOrSystem ? entry.actor : 'coordinator',
    reason: ownOrSystem || entry.action === 'rejected' ? entry.reason : null,
  };
}

function tokenMatches(application: Application, token: string): boolean {
  const given = Buffer.from(hashSecretToken(token), 'hex');
  const stored = Buffer.from(application.applicantTokenHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

function notFound(applicationId: string): MembershipException {
  return new MembershipException(MembershipErrorCode.APPLICATION_NOT_FOUND, `no application ${applicationId}`);
}

function isIsoInstant(text: string): boolean {
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
}

function badCursor(): MembershipException {
  return new MembershipException(
    MembershipErrorCode.INVALID_CURSOR,
    'cursor must be the nextCursor of a previous page',
  );
}

export function toApplicationView(a: Application): ApplicationView {
  return {
    id: a.id,
    organisationId: a.organisationId,
    status: a.status,
    ...profileOf(a),
    motivation: a.motivation,
    submittedAt: a.submittedAt.toISOString(),
    decidedAt: a.decidedAt ? a.decidedAt.toISOString() : null,
    decidedBy: a.decidedBy,
    decisionReason: a.decisionReason,
    erasedAt: a.erasedAt?.toISOString() ?? null,
  };
}
