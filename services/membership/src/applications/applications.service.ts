import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent, TypedEvent } from '@valley/contracts';
import { appendToOutbox, OutboxRelay } from '@valley/messaging';
import { Actor } from '@valley/platform';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/page';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { HistoryEntry } from '../history/history-entry.entity';
import { historyOf, recordHistory } from '../history/history';
import { Member } from '../members/member.entity';
import { hashApplicantToken, newApplicantToken } from './applicant-token';
import { Application, ApplicationStatus } from './application.entity';
import { clusterDate } from './cluster-calendar';
import { AdmitApplicationDto } from './dto/admit-application.dto';
import {
  ListApplicationsQuery,
  RejectApplicationDto,
  ReviewApplicationDto,
  WithdrawApplicationDto,
} from './dto/application-decisions.dto';
import {
  AdmittedMemberResponse,
  ApplicationPage,
  ApplicationView,
  HistoryEntryView,
  SubmittedApplicationResponse,
} from './dto/application.responses';
import { SubmitApplicationDto } from './dto/submit-application.dto';

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
    const { token, hash } = newApplicantToken();
    const submittedAt = this.now();
    const application = await this.inTransaction(async (manager) => {
      await this.refuseExistingMember(manager, dto.country, dto.registrationCode);
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
      await appendToOutbox(manager, [
        createEvent({
          type: 'ApplicationSubmitted',
          producer: 'membership',
          aggregateId: created.organisationId,
          occurredAt: submittedAt,
          payload: {
            applicationId: created.id,
            submittedAt: submittedAt.toISOString(),
            ...organisationPayload(created),
          },
        }),
      ]);
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
    let member: Member | undefined;
    await this.step(applicationId, 'admit', actor.subject, dto.note ?? null, async (manager, application) => {
      await this.refuseExistingMember(manager, application.country, application.registrationCode);
      const admitted = manager.getRepository(Member).create({
        ...organisationPayload(application),
        id: application.organisationId,
        applicationId: application.id,
        membershipType: 'full',
        status: 'active',
        isCoordinator: false,
        admittedOn,
        statement: null,
        logoUrl: null,
        statusReason: null,
        endedOn: null,
      });
      await manager.getRepository(Member).insert(admitted).catch(duplicateAs(MembershipErrorCode.ALREADY_MEMBER));
      await recordHistory(manager, [
        {
          subject: 'member',
          subjectId: admitted.id,
          action: 'admitted',
          toStatus: 'active',
          actor: actor.subject,
          reason: dto.note ?? null,
          at: admittedAt,
        },
      ]);
      member = admitted;
      return [
        createEvent({
          type: 'MemberAdmitted',
          producer: 'membership',
          aggregateId: admitted.id,
          occurredAt: admittedAt,
          payload: memberAdmittedPayload(admitted),
        }),
      ];
    });
    return { memberId: member!.id, applicationId, status: 'admitted', admittedOn: member!.admittedOn };
  }

  async reject(applicationId: string, actor: Actor, dto: RejectApplicationDto): Promise<ApplicationView> {
    const updated = await this.step(applicationId, 'reject', actor.subject, dto.reason, (_, application, at) => [
      createEvent({
        type: 'ApplicationRejected',
        producer: 'membership',
        aggregateId: application.organisationId,
        occurredAt: at,
        payload: { applicationId: application.id, reason: dto.reason, rejectedAt: at.toISOString() },
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
          payload: { applicationId: application.id, reason: dto.reason ?? null, withdrawnAt: at.toISOString() },
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
    return toApplicationView(application);
  }

  async history(applicationId: string): Promise<HistoryEntryView[]> {
    const exists = await this.dataSource.getRepository(Application).existsBy({ id: applicationId });
    if (!exists) throw notFound(applicationId);
    return (await historyOf(this.dataSource.manager, applicationId)).map(toHistoryView);
  }

  /** Newest first, keyset-paginated on (submittedAt, id). */
  async list(query: ListApplicationsQuery): Promise<ApplicationPage> {
    const limit = query.limit ?? 50;
    const qb = this.dataSource
      .getRepository(Application)
      .createQueryBuilder('a')
      .orderBy('a.submitted_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(limit + 1);
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      if (!cursor || Number.isNaN(Date.parse(cursor.key))) throw badCursor();
      qb.andWhere('(a.submitted_at, a.id) < (:at, :id)', { at: cursor.key, id: cursor.id });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toApplicationView),
      nextCursor: rows.length > limit ? encodeCursor({ key: last.submittedAt.toISOString(), id: last.id }) : null,
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
    effects: (manager: EntityManager, application: Application, at: Date) => Promise<TypedEvent[]> | TypedEvent[],
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
      const events = await effects(manager, application, at);
      const decided = step !== 'review';
      const changes: Partial<Application> = {
        status: transition.to,
        ...(decided ? { decidedAt: at, decidedBy: actor, decisionReason: reason } : {}),
      };
      await applications.update({ id: application.id }, changes);
      await recordHistory(manager, [
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
      ]);
      await appendToOutbox(manager, events);
      return { ...application, ...changes, version: application.version + 1 };
    });
  }

  private async refuseExistingMember(manager: EntityManager, country: string, registrationCode: string) {
    const existing = await manager.getRepository(Member).exists({ where: { country, registrationCode } });
    if (existing) {
      throw new MembershipException(
        MembershipErrorCode.ALREADY_MEMBER,
        `an organisation with registration code ${registrationCode} (${country}) is already a member`,
      );
    }
  }

  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.relay.wake();
    return result;
  }
}

function tokenMatches(application: Application, token: string): boolean {
  const given = Buffer.from(hashApplicantToken(token), 'hex');
  const stored = Buffer.from(application.applicantTokenHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

function notFound(applicationId: string): MembershipException {
  return new MembershipException(MembershipErrorCode.APPLICATION_NOT_FOUND, `no application ${applicationId}`);
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
    ...organisationPayload(a),
    motivation: a.motivation,
    submittedAt: a.submittedAt.toISOString(),
    decidedAt: a.decidedAt ? a.decidedAt.toISOString() : null,
    decidedBy: a.decidedBy,
    decisionReason: a.decisionReason,
  };
}

export function toHistoryView(entry: HistoryEntry): HistoryEntryView {
  return {
    action: entry.action,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    actor: entry.actor,
    reason: entry.reason,
    at: entry.at.toISOString(),
  };
}

type OrganisationFields = Pick<
  Application,
  | 'legalName'
  | 'registrationCode'
  | 'country'
  | 'region'
  | 'organisationType'
  | 'sizeClass'
  | 'sectorCodes'
  | 'focusAreas'
  | 'website'
  | 'description'
  | 'contact'
  | 'consent'
>;

export function organisationPayload(source: OrganisationFields): OrganisationFields {
  return {
    legalName: source.legalName,
    registrationCode: source.registrationCode,
    country: source.country,
    region: source.region,
    organisationType: source.organisationType,
    sizeClass: source.sizeClass,
    sectorCodes: source.sectorCodes,
    focusAreas: source.focusAreas,
    website: source.website,
    description: source.description,
    contact: source.contact,
    consent: source.consent,
  };
}

export function memberAdmittedPayload(member: Member) {
  return {
    memberId: member.id,
    membershipType: member.membershipType,
    admittedOn: member.admittedOn,
    applicationId: member.applicationId ?? null,
    statement: member.statement ?? null,
    logoUrl: member.logoUrl ?? null,
    ...organisationPayload(member),
  };
}

/** A unique-key violation (a race the pre-check lost) becomes the same 409 as the pre-check. */
export function duplicateAs(code: MembershipErrorCode) {
  return (error: unknown): never => {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
      throw new MembershipException(code, 'an organisation with this registration code already applied or is a member');
    }
    throw error;
  };
}
