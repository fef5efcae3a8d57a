import { DataSource } from 'typeorm';
import { NotificationsConfig } from '../notifications.config';
import { ClaimedDelivery } from './delivery-outcomes.service';
import { SignInLink } from './sign-in-link.entity';
import { SIGN_IN_LINK_PATH, signInUrl, SignInLinks } from './sign-in-links';

const DELIVERY = '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d';

function linksWith(stored: SignInLink[]) {
  const repository = {
    findOneBy: async ({ deliveryId }: { deliveryId: string }) =>
      stored.find((l) => l.deliveryId === deliveryId) ?? null,
  };
  const dataSource = { getRepository: () => repository } as unknown as DataSource;
  return new SignInLinks(dataSource, { PORTAL_URL: 'https://portal.valley.lt' } as NotificationsConfig);
}

const delivery = { id: DELIVERY } as ClaimedDelivery;

describe('SignInLinks', () => {
  const expiresAt = new Date('2026-12-01T10:15:00Z');

  it('links to the portal page that takes the token', () => {
    expect(SIGN_IN_LINK_PATH).toBe('/sign-in/link');
    expect(signInUrl('https://portal.valley.lt', 'a-b_c')).toBe('https://portal.valley.lt/sign-in/link?token=a-b_c');
  });

  it("gives the delivery's link while it is valid", async () => {
    const links = linksWith([{ deliveryId: DELIVERY, signInToken: 'q3J9-_x', expiresAt }]);

    expect(await links.forDelivery(delivery, expiresAt.getTime() - 1)).toEqual({
      url: 'https://portal.valley.lt/sign-in/link?token=q3J9-_x',
    });
  });

  it('says expired from the expiry instant on (the email is then not sent)', async () => {
    const links = linksWith([{ deliveryId: DELIVERY, signInToken: 't', expiresAt }]);

    expect(await links.forDelivery(delivery, expiresAt.getTime())).toEqual({ expired: true, expiresAt });
  });

  it('says missing when the token is gone (sent already, or failed for good)', async () => {
    expect(await linksWith([]).forDelivery(delivery)).toEqual({ missing: true });
  });
});
