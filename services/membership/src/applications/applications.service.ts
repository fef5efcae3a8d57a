import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent } from '@valley/contracts';
import { appendToOutbox, OutboxRelay } from '@valley/messaging';
import { Actor } from '@valley/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { Member } from '../members/member.entity';
import { newApplicantToken } from './applicant-token';
import { Application, ApplicationStatus } from './application.entity';
import { clusterDate } from './cluster-calendar';
import { AdmitApplicationDto } from './dto/admit-application.dto';
import { AdmittedMemberResponse, SubmittedApplicationResponse } from './dto/application.responses';
import { SubmitApplicationDto } from './dto/submit-application.dto';

const DECIDABLE: readonly ApplicationStatus[] = ['submitted', 'under_review'];

/** The application rules. Every change commits together with the events that announce it. */
@Injectable()
export class ApplicationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async submit(dto: SubmitApplicationDto): Promise<SubmittedApplicationResponse> {
    const { token, hash } = newApplicantToken();
    const submittedAt = new Date();
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
      });
      await manager.getRepository(Application).insert(created).catch(duplicateAs(MembershipErrorCode.ALREADY_APPLIED));
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

  async admit(applicationId: string, actor: Actor, _dto: AdmitApplicationDto): Promise<AdmittedMemberResponse> {
    const admittedAt = new Date();
    const admittedOn = clusterDate(admittedAt);
    const member = await this.inTransaction(async (manager) => {
      const applications = manager.getRepository(Application);
      const application = await applications.findOne({
        where: { id: applicationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!application) {
        throw new MembershipException(MembershipErrorCode.APPLICATION_NOT_FOUND, `no application ${applicationId}`);
      }
      if (!DECIDABLE.includes(application.status)) {
        throw new MembershipException(
          MembershipErrorCode.TRANSITION_NOT_ALLOWED,
          `an application that is ${application.status} cannot be admitted`,
        );
      }
      await this.refuseExistingMember(manager, application.country, application.registrationCode);

      const admitted = manager.getRepository(Member).create({
        ...organisationPayload(application),
        id: application.organisationId,
        applicationId: application.id,
        membershipType: 'full',
        status: 'active',
        isCoordinator: false,
        admittedOn,
      });
      await manager.getRepository(Member).insert(admitted).catch(duplicateAs(MembershipErrorCode.ALREADY_MEMBER));
      await applications.update(
        { id: application.id },
        { status: 'admitted', decidedAt: admittedAt, decidedBy: actor.subject },
      );
      await appendToOutbox(manager, [
        createEvent({
          type: 'MemberAdmitted',
          producer: 'membership',
          aggregateId: admitted.id,
          occurredAt: admittedAt,
          payload: memberAdmittedPayload(admitted),
        }),
      ]);
      return admitted;
    });
    return { memberId: member.id, applicationId, status: 'admitted', admittedOn: member.admittedOn };
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
    ...organisationPayload(member),
  };
}

/** A unique-key violation (a race the pre-check lost) becomes the same 409 as the pre-check. */
function duplicateAs(code: MembershipErrorCode) {
  return (error: unknown): never => {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
      throw new MembershipException(code, 'an organisation with this registration code already applied or is a member');
    }
    throw error;
  };
}
