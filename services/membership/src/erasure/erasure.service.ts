import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent } from '@valley/contracts';
import { appendToOutbox, OutboxMessage, OutboxRelay } from '@valley/messaging';
import { Actor } from '@valley/platform';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { Application } from '../applications';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { recordHistory } from '../history';
import { Member } from '../members';
import { shredOrganisationKey } from '../personal-data';
import { forgetSignIns } from '../sign-in';
import { EraseDto } from './dto/erase.dto';
import { ErasureView } from './dto/erasure.response';

/** Whose personal data may be erased: an organisation that is no longer with the cluster. */
const ERASABLE_MEMBER = ['ended'];
const ERASABLE_APPLICATION = ['rejected', 'withdrawn'];

/**
 * Erasure (GDPR Art. 17) of an ended member's or a rejected or withdrawn applicant's personal
 * data: its contact (and the free text marked personal) goes from membership's rows, its sign-in
 * links and sessions go, the published outbox rows that copied its events go, its key is shredded
 * (every sealed copy on Kafka becomes unreadable) and PersonalDataErased tells every service to
 * forget. The history records who, when and why; not what.
 */
@Injectable()
export class ErasureService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async eraseMember(memberId: string, actor: Actor, dto: EraseDto): Promise<ErasureView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const member = await manager
        .getRepository(Member)
        .createQueryBuilder('m')
        .setLock('pessimistic_write')
        .where('m.id = :memberId', { memberId })
        .getOne();
      if (!member) throw new MembershipException(MembershipErrorCode.MEMBER_NOT_FOUND, `no member ${memberId}`);
      refuseUnlessErasable(member, ERASABLE_MEMBER, 'membership has not ended: end it first');
      const at = new Date();
      const marked = new Set(dto.personalText ?? []);
      await manager.getRepository(Member).update(
        { id: member.id },
        {
          contact: null,
          erasedAt: at,
          ...(marked.has('description') ? { description: null } : {}),
          ...(marked.has('statement') ? { statement: null } : {}),
          version: () => 'version + 1',
        },
      );
      await eraseApplicationsOf(manager, member.id, marked, at);
      await forgetSignIns(manager, member.id);
      await recordHistory(manager, [
        { subject: 'member', subjectId: member.id, action: 'erased', actor: actor.subject, reason: dto.reason, at },
      ]);
      await announceErasure(manager, member.id, at);
      return { id: member.id, organisationId: member.id, erasedAt: at.toISOString(), personalText: [...marked] };
    });
    this.relay.wake();
    return view;
  }

  async eraseApplication(applicationId: string, actor: Actor, dto: EraseDto): Promise<ErasureView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const application = await manager
        .getRepository(Application)
        .createQueryBuilder('a')
        .setLock('pessimistic_write')
        .where('a.id = :applicationId', { applicationId })
        .getOne();
      if (!application) {
        throw new MembershipException(MembershipErrorCode.APPLICATION_NOT_FOUND, `no application ${applicationId}`);
      }
      refuseUnlessErasable(application, ERASABLE_APPLICATION, 'only a rejected or withdrawn application can be erased');
      const at = new Date();
      const marked = new Set(dto.personalText ?? []);
      await eraseApplicationsOf(manager, application.organisationId, marked, at);
      await recordHistory(manager, [
        {
          subject: 'application',
          subjectId: application.id,
          action: 'erased',
          actor: actor.subject,
          reason: dto.reason,
          at,
        },
      ]);
      await announceErasure(manager, application.organisationId, at);
      return {
        id: application.id,
        organisationId: application.organisationId,
        erasedAt: at.toISOString(),
        personalText: [...marked],
      };
    });
    this.relay.wake();
    return view;
  }
}

function refuseUnlessErasable(subject: Member | Application, statuses: string[], why: string): void {
  if (subject.erasedAt) {
    throw new MembershipException(
      MembershipErrorCode.PERSONAL_DATA_ERASED,
      `its personal data was erased on ${subject.erasedAt.toISOString()}; there is nothing left to erase`,
    );
  }
  if (!statuses.includes(subject.status)) {
    throw new MembershipException(MembershipErrorCode.ERASURE_NOT_ALLOWED, `it is ${subject.status}: ${why}`);
  }
}

/** The organisation's applications (the one it was admitted from, or the one rejected) lose the same. */
async function eraseApplicationsOf(
  manager: EntityManager,
  organisationId: string,
  marked: ReadonlySet<string>,
  at: Date,
): Promise<void> {
  await manager.getRepository(Application).update(
    { organisationId, erasedAt: IsNull() },
    {
      contact: null,
      erasedAt: at,
      ...(marked.has('description') ? { description: null } : {}),
      ...(marked.has('motivation') ? { motivation: null } : {}),
    },
  );
}

/**
 * The key shredded, the copies in membership's outbox gone (published ones only: an unpublished
 * row is sealed and still has to go out), and PersonalDataErased for the other services.
 */
async function announceErasure(manager: EntityManager, organisationId: string, at: Date): Promise<void> {
  await manager.getRepository(OutboxMessage).delete({ messageKey: organisationId, publishedAt: Not(IsNull()) });
  const erased = createEvent({
    type: 'PersonalDataErased',
    producer: 'membership',
    aggregateId: organisationId,
    occurredAt: at,
    payload: { organisationId, erasedAt: at.toISOString() },
  });
  await appendToOutbox(manager, [erased, await shredOrganisationKey(manager, organisationId, at, erased)]);
}
