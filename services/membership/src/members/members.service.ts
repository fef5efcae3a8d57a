import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent, effectiveVisibility, MemberProfileChanges, TypedEvent, VisibleFields } from '@valley/contracts';
import { OutboxRelay } from '@valley/messaging';
import { Actor } from '@valley/platform';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, EntityManager } from 'typeorm';
import { clusterDate } from '../common/cluster-calendar';
import {
  memberProfileUpdatedPayload,
  memberReinstatedPayload,
  memberSuspendedPayload,
  membershipEndedPayload,
} from '../common/event-payloads';
import { profileOf } from '../common/organisation-profile';
import { decodeCursor, encodeCursor } from '../common/page';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { historyOf, HistoryEntryView, recordHistory, toHistoryView } from '../history';
import { EndMembershipDto } from './dto/end-membership.dto';
import { ListMembersQuery } from './dto/list-members.query';
import { MemberPage } from './dto/member-page.response';
import { MemberView } from './dto/member.response';
import { ReinstateMemberDto } from './dto/reinstate-member.dto';
import { SuspendMemberDto } from './dto/suspend-member.dto';
import { UpdateMemberDto } from './dto/update-member.dto';
import { Member, MemberStatus } from './member.entity';
import { appendSealedToOutbox } from '../personal-data';

/** The membership lifecycle: which step may follow which. Anything else is a 409 that changes nothing. */
export const MEMBER_TRANSITIONS = {
  suspend: { from: ['active'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active' },
  end: { from: ['active', 'suspended'], to: 'ended' },
} as const satisfies Record<string, { from: readonly MemberStatus[]; to: MemberStatus }>;
export type MemberStep = keyof typeof MEMBER_TRANSITIONS;

/** Fields PATCH /members/:id may change, in the order they are reported. */
const PROFILE_FIELDS = [
  'legalName',
  'region',
  'organisationType',
  'sizeClass',
  'sectorCodes',
  'focusAreas',
  'website',
  'description',
  'statement',
  'logoUrl',
  'contact',
  'consent',
  'visibility',
] as const satisfies readonly (keyof UpdateMemberDto & keyof Member & keyof MemberProfileChanges)[];

@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async get(memberId: string): Promise<MemberView> {
    const member = await this.dataSource.getRepository(Member).findOneBy({ id: memberId });
    if (!member) throw notFound(memberId);
    return toMemberView(member);
  }

  async history(memberId: string): Promise<HistoryEntryView[]> {
    if (!(await this.dataSource.getRepository(Member).existsBy({ id: memberId }))) throw notFound(memberId);
    return (await historyOf(this.dataSource.manager, memberId)).map(toHistoryView);
  }

  /** By legal name, keyset-paginated on (legalName, id); of one status; whose name contains `q`. */
  async list(query: ListMembersQuery): Promise<MemberPage> {
    const limit = query.limit ?? 50;
    const qb = this.dataSource
      .getRepository(Member)
      .createQueryBuilder('m')
      .orderBy('m.legal_name', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit + 1);
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    const q = query.q?.trim();
    if (q) {
      // Contains, ignoring case and Lithuanian diacritics on both sides; % _ \ typed are literal.
      const pattern = `%${foldName(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        `(lower(translate(m.legal_name, :from, :to)) LIKE lower(:pattern) ESCAPE '\\' OR m.registration_code = :code)`,
        { from: FOLD_FROM, to: FOLD_TO, pattern, code: q },
      );
    }
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      if (!cursor) {
        throw new MembershipException(
          MembershipErrorCode.INVALID_CURSOR,
          'cursor must be the nextCursor of a previous page',
        );
      }
      qb.andWhere('(m.legal_name, m.id) > (:name, :id)', { name: cursor.key, id: cursor.id });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toMemberView),
      nextCursor: rows.length > limit ? encodeCursor({ key: last.legalName, id: last.id }) : null,
    };
  }

  /**
   * Changes the profile or consent if the caller saw the current version (optimistic concurrency:
   * a stale version is a 412 that changes nothing). Publishes what changed; no change, no event.
   */
  async update(
    memberId: string,
    expectedVersion: number,
    dto: UpdateMemberDto,
    actor: Actor,
    /** The member changes itself (PATCH /me): a suspended member may read, not change. */
    options: { byMember?: boolean } = {},
  ): Promise<MemberView> {
    return this.inTransaction(async (manager) => {
      const member = await this.lock(manager, memberId);
      if (options.byMember && member.status === 'suspended') {
        throw new MembershipException(
          MembershipErrorCode.MEMBER_READ_ONLY,
          'a suspended member can read its record, not change it: ask the coordinator',
        );
      }
      if (member.version !== expectedVersion) {
        throw new MembershipException(
          MembershipErrorCode.STALE_VERSION,
          `the member is at version ${member.version}, not ${expectedVersion}: read it again and retry`,
        );
      }
      const changes: Partial<Member> = {};
      for (const field of PROFILE_FIELDS) {
        if (!(field in dto) || dto[field] === undefined) continue;
        // A visibility change names the fields it changes; the event carries the whole choice.
        const next = plain(field === 'visibility' ? { ...member.visibility, ...dto.visibility } : (dto[field] ?? null));
        if (!isDeepStrictEqual(plain(member[field]), next)) Object.assign(changes, { [field]: next });
      }
      const changedFields = Object.keys(changes);
      if (changedFields.length === 0) return toMemberView(member);
      if (member.status === 'ended') {
        throw new MembershipException(MembershipErrorCode.TRANSITION_NOT_ALLOWED, 'an ended membership cannot change');
      }
      await manager.getRepository(Member).update({ id: member.id }, changes);
      const updated: Member = { ...member, ...changes, version: member.version + 1 };
      const at = new Date();
      await recordHistory(manager, [
        {
          subject: 'member',
          subjectId: member.id,
          action: 'profile_updated',
          actor: actor.subject,
          reason: `changed: ${changedFields.join(', ')}`,
          at,
        },
      ]);
      await appendSealedToOutbox(manager, [
        createEvent({
          type: 'MemberProfileUpdated',
          producer: 'membership',
          aggregateId: member.id,
          occurredAt: at,
          payload: memberProfileUpdatedPayload(updated, changes as MemberProfileChanges),
        }),
      ]);
      return toMemberView(updated);
    });
  }

  suspend(memberId: string, actor: Actor, dto: SuspendMemberDto): Promise<MemberView> {
    return this.step(memberId, 'suspend', actor, dto.reason, (member, at) =>
      createEvent({
        type: 'MemberSuspended',
        producer: 'membership',
        aggregateId: member.id,
        occurredAt: at,
        payload: memberSuspendedPayload(member, dto.reason, at),
      }),
    );
  }

  reinstate(memberId: string, actor: Actor, dto: ReinstateMemberDto): Promise<MemberView> {
    return this.step(memberId, 'reinstate', actor, dto.reason ?? null, (member, at) =>
      createEvent({
        type: 'MemberReinstated',
        producer: 'membership',
        aggregateId: member.id,
        occurredAt: at,
        payload: memberReinstatedPayload(member, dto.reason, at),
      }),
    );
  }

  end(memberId: string, actor: Actor, dto: EndMembershipDto): Promise<MemberView> {
    return this.step(memberId, 'end', actor, dto.reason, (member, at) =>
      createEvent({
        type: 'MembershipEnded',
        producer: 'membership',
        aggregateId: member.id,
        occurredAt: at,
        payload: membershipEndedPayload(member, dto.reason, at),
      }),
    );
  }

  private step(
    memberId: string,
    step: MemberStep,
    actor: Actor,
    reason: string | null,
    event: (member: Member, at: Date) => TypedEvent,
  ): Promise<MemberView> {
    const transition = MEMBER_TRANSITIONS[step];
    return this.inTransaction(async (manager) => {
      const member = await this.lock(manager, memberId);
      if (!(transition.from as readonly MemberStatus[]).includes(member.status)) {
        throw new MembershipException(
          MembershipErrorCode.TRANSITION_NOT_ALLOWED,
          `a member that is ${member.status} cannot be ${transition.to === 'active' ? 'reinstated' : transition.to}`,
        );
      }
      const at = new Date();
      const changes: Partial<Member> = {
        status: transition.to,
        statusReason: transition.to === 'active' ? null : reason,
        ...(transition.to === 'ended' ? { endedOn: clusterDate(at) } : {}),
      };
      await manager.getRepository(Member).update({ id: member.id }, changes);
      await recordHistory(manager, [
        {
          subject: 'member',
          subjectId: member.id,
          action: transition.to === 'active' ? 'reinstated' : transition.to,
          fromStatus: member.status,
          toStatus: transition.to,
          actor: actor.subject,
          reason,
          at,
        },
      ]);
      await appendSealedToOutbox(manager, [event(member, at)]);
      return toMemberView({ ...member, ...changes, version: member.version + 1 });
    });
  }

  private async lock(manager: EntityManager, memberId: string): Promise<Member> {
    const member = await manager
      .getRepository(Member)
      .findOne({ where: { id: memberId }, lock: { mode: 'pessimistic_write' } });
    if (!member) throw notFound(memberId);
    return member;
  }

  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.relay.wake();
    return result;
  }
}

/** DTO instances and nested class instances compare as plain JSON values. */
function plain(value: unknown): unknown {
  return value === null || value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function notFound(memberId: string): MembershipException {
  return new MembershipException(MembershipErrorCode.MEMBER_NOT_FOUND, `no member ${memberId}`);
}

export function toMemberView(m: Member): MemberView {
  return {
    id: m.id,
    applicationId: m.applicationId,
    membershipType: m.membershipType,
    status: m.status,
    statusReason: m.statusReason ?? null,
    isCoordinator: m.isCoordinator,
    admittedOn: m.admittedOn,
    endedOn: m.endedOn ?? null,
    ...profileOf(m),
    statement: m.statement ?? null,
    logoUrl: m.logoUrl ?? null,
    visibility: Object.fromEntries(
      VisibleFields.map((field) => [field, m.visibility?.[field] ?? 'public']),
    ) as MemberView['visibility'],
    shownInDirectory: Object.fromEntries(
      VisibleFields.map((field) => [field, effectiveVisibility(field, m.visibility, m.consent)]),
    ) as MemberView['shownInDirectory'],
    version: m.version,
    erasedAt: m.erasedAt?.toISOString() ?? null,
  };
}

/** Lithuanian letters with diacritics and what a search folds them to (Postgres `translate`, here alike). */
const FOLD_FROM = 'ĄČĘĖĮŠŲŪŽąčęėįšųūž';
const FOLD_TO = 'ACEEISUUZaceeisuuz';

/** Text as the search compares it: without Lithuanian diacritics (the database then lowers both sides alike). */
export function foldName(text: string): string {
  let folded = '';
  for (const char of text) {
    const at = FOLD_FROM.indexOf(char);
    folded += at >= 0 ? FOLD_TO[at] : char;
  }
  return folded;
}
