import { DataSource } from 'typeorm';
import { NotificationsConfig } from '../notifications.config';
import { ApplicantLink } from './applicant-link.entity';
import { ApplicantStatusLinks, LINK_WAIT_MS } from './applicant-status-links';
import { ClaimedDelivery } from './delivery-outcomes.service';

const APPLICATION = '0d6f0d5e-5a0c-4f55-9d0f-2a4a0c7e1b11';

function linksWith(stored: ApplicantLink[]) {
  const repository = {
    findOneBy: async ({ applicationId }: { applicationId: string }) =>
      stored.find((l) => l.applicationId === applicationId) ?? null,
    delete: async ({ applicationId }: { applicationId: string }) => {
      stored.splice(
        stored.findIndex((l) => l.applicationId === applicationId),
        1,
      );
    },
  };
  const dataSource = { getRepository: () => repository } as unknown as DataSource;
  const config = { PORTAL_URL: 'https://portal.valley.lt' } as NotificationsConfig;
  return new ApplicantStatusLinks(dataSource, config);
}

const delivery = (createdAt: Date): ClaimedDelivery =>
  ({ templateData: { applicationId: APPLICATION }, createdAt }) as unknown as ClaimedDelivery;

describe('ApplicantStatusLinks', () => {
  const created = new Date('2026-12-01T10:00:00Z');

  it('links to the portal page of the application with its token, escaped for a URL', async () => {
    const links = linksWith([{ applicationId: APPLICATION, applicantToken: 'a-b_c', receivedAt: created }]);

    expect(await links.forDelivery(delivery(created), created.getTime())).toEqual({
      url: `https://portal.valley.lt/applications/${APPLICATION}?token=a-b_c`,
    });
  });

  it('waits for a token not here yet, for a while, then goes without the link', async () => {
    const links = linksWith([]);

    expect(await links.forDelivery(delivery(created), created.getTime() + 1_000)).toEqual({ wait: true });
    expect(await links.forDelivery(delivery(created), created.getTime() + LINK_WAIT_MS + 1)).toEqual({ url: null });
  });

  it('forgets the token once the email went out', async () => {
    const stored = [{ applicationId: APPLICATION, applicantToken: 't', receivedAt: created }];

    await linksWith(stored).forget(delivery(created));

    expect(stored).toEqual([]);
  });
});
