import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Contact } from '../contacts';
import { NotificationsErrorCode, NotificationsException } from '../errors/notifications.exception';
import { UnsubscribeTokens } from './unsubscribe-token';
import { Unsubscribe } from './unsubscribe.entity';

/** Records that a contact followed its unsubscribe link; later announcements leave it out. */
@Injectable()
export class UnsubscribeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: UnsubscribeTokens,
    @InjectPinoLogger(UnsubscribeService.name) private readonly logger: PinoLogger,
  ) {}

  /** Throws for a forged or altered token; returns the address it was made for. */
  check(token: string): string {
    const email = this.tokens.verify(token);
    if (!email) {
      throw new NotificationsException(
        NotificationsErrorCode.INVALID_UNSUBSCRIBE_TOKEN,
        'this unsubscribe link is not valid (it was altered or not made by us)',
      );
    }
    return email;
  }

  /** Idempotent: following the link again keeps the first record. */
  async unsubscribe(token: string): Promise<{ unsubscribedAt: Date }> {
    const email = this.check(token);
    const unsubscribes = this.dataSource.getMetadata(Unsubscribe).tablePath;
    const contacts = this.dataSource.getMetadata(Contact).tablePath;
    const inserted: { unsubscribed_at: Date }[] = await this.dataSource.query(
      `INSERT INTO ${unsubscribes} (email, organisation_id, unsubscribed_at)
       VALUES ($1, (SELECT organisation_id FROM ${contacts} WHERE email = $1 ORDER BY updated_at DESC LIMIT 1), now())
       ON CONFLICT (email) DO NOTHING
       RETURNING unsubscribed_at`,
      [email],
    );
    if (inserted.length > 0) {
      this.logger.info({ unsubscribe: true }, 'a contact unsubscribed from announcements');
      return { unsubscribedAt: inserted[0].unsubscribed_at };
    }
    const existing = await this.dataSource.getRepository(Unsubscribe).findOneByOrFail({ email });
    return { unsubscribedAt: existing.unsubscribedAt };
  }
}
