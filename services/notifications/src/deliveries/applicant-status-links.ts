import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationsConfig } from '../notifications.config';
import { ApplicantLink } from './applicant-link.entity';
import { ClaimedDelivery } from './delivery-outcomes.service';

/**
 * How long an acknowledgement waits for its applicant token. The token is committed and published
 * with ApplicationSubmitted, but on another topic, so it may arrive a moment later; after this the
 * email goes out without the link (the applicant still has it from the portal's confirmation).
 */
export const LINK_WAIT_MS = 30_000;

export type StatusLink = { url: string } | { wait: true } | { url: null };

/** The status link of an acknowledgement email: the portal's page for the application, with its token. */
@Injectable()
export class ApplicantStatusLinks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: NotificationsConfig,
  ) {}

  async forDelivery(delivery: ClaimedDelivery, now = Date.now()): Promise<StatusLink> {
    const applicationId = delivery.templateData.applicationId;
    if (typeof applicationId !== 'string') return { url: null };
    const link = await this.dataSource.getRepository(ApplicantLink).findOneBy({ applicationId });
    if (link) {
      return {
        url: `${this.config.PORTAL_URL}/applications/${applicationId}?token=${encodeURIComponent(link.applicantToken)}`,
      };
    }
    return now - delivery.createdAt.getTime() < LINK_WAIT_MS ? { wait: true } : { url: null };
  }

  /** The email went out: notifications needs the token no more. */
  async forget(delivery: ClaimedDelivery): Promise<void> {
    const applicationId = delivery.templateData.applicationId;
    if (typeof applicationId === 'string') {
      await this.dataSource.getRepository(ApplicantLink).delete({ applicationId });
    }
  }
}
