import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent } from '@valley/contracts';
import { appendToOutbox, OutboxRelay } from '@valley/messaging';
import { MEMBER_ROLE, RateLimits } from '@valley/platform';
import { SignJWT } from 'jose';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { memberSignInLinkIssuedPayload } from '../common/event-payloads';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { Member } from '../members';
import { MembershipConfig } from '../membership.config';
import { MemberSessionTokens } from './dto/sign-in.dto';
import { MemberSession } from './member-session.entity';
import { MEMBER_TOKEN_KEYS } from './member-token-keys.provider';
import { MemberTokenKeys } from './member-token-keys';
import { SignInLink } from './sign-in-link.entity';

/** A sign-in link works once, for this long (the issue's 15 minutes). */
export const SIGN_IN_LINK_MINUTES = 15;
/** The rule of RateLimits that counts link requests per address (see rate-limits.ts). */
export const SIGN_IN_ADDRESS_RULE = 'sign-in-address';

const LINK_REFUSED =
  'This sign-in link is used, expired or unknown. Ask for a new one on the sign-in page; a link works once, for 15 minutes.';

/**
 * Members sign in with a one-time link to the contact email: membership keeps the link's hash,
 * the token travels to notifications on the short-lived access topic only, and an exchanged link
 * opens a session whose short access tokens it signs itself (an issuer of its own, whose keys are
 * at /.well-known/jwks.json). Suspended members sign in and read; ended ones cannot sign in.
 */
@Injectable()
export class SignInService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    private readonly rateLimits: RateLimits,
    private readonly config: MembershipConfig,
    @Inject(MEMBER_TOKEN_KEYS) private readonly keys: MemberTokenKeys,
    @InjectPinoLogger(SignInService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Sends a link to each member (active or suspended) whose contact email this is; says nothing
   * about whether there was one. Counted per address whether or not it is a member's, so that a
   * 429 tells nothing either.
   */
  async requestLink(address: string): Promise<void> {
    const email = address.trim().toLowerCase();
    const limit = await this.rateLimits.consume(SIGN_IN_ADDRESS_RULE, hashSecretToken(email));
    if (!limit.allowed) {
      throw new MembershipException(
        MembershipErrorCode.SIGN_IN_RATE_LIMITED,
        `too many sign-in links asked for this address: at most ${limit.rule.points} in ${limit.rule.seconds / 60} minutes; ` +
          `try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes`,
        undefined,
        limit.retryAfterSeconds,
      );
    }
    const issued = await this.dataSource.transaction(async (manager) => {
      const members = await manager
        .getRepository(Member)
        .createQueryBuilder('m')
        .where(`lower(m.contact->>'email') = :email`, { email })
        .andWhere('m.status IN (:...statuses)', { statuses: ['active', 'suspended'] })
        .getMany();
      const requestedAt = new Date();
      const expiresAt = new Date(requestedAt.getTime() + SIGN_IN_LINK_MINUTES * 60_000);
      for (const member of members) {
        const { token, hash } = newSecretToken();
        await manager.getRepository(SignInLink).insert({
          tokenHash: hash,
          memberId: member.id,
          email,
          requestedAt,
          expiresAt,
          usedAt: null,
        });
        await appendToOutbox(manager, [
          createEvent({
            type: 'MemberSignInLinkIssued',
            producer: 'membership',
            aggregateId: member.id,
            occurredAt: requestedAt,
            payload: memberSignInLinkIssuedPayload({
              memberId: member.id,
              email,
              // Found by its contact's address, so it has one (an erased contact is null and never matches).
              language: member.contact!.language,
              signInToken: token,
              expiresAt,
            }),
          }),
        ]);
      }
      return members.length;
    });
    if (issued > 0) this.relay.wake();
    this.logger.info({ links: issued }, 'sign-in link asked for');
  }

  /** The link's token → a session, once, within 15 minutes, for a member that has not ended. */
  async exchange(token: string): Promise<MemberSessionTokens> {
    return this.dataSource.transaction(async (manager) => {
      const link = await manager
        .getRepository(SignInLink)
        .findOne({ where: { tokenHash: hashSecretToken(token) }, lock: { mode: 'pessimistic_write' } });
      const now = new Date();
      if (!link || link.usedAt || link.expiresAt <= now) {
        throw new MembershipException(MembershipErrorCode.SIGN_IN_LINK_INVALID, LINK_REFUSED);
      }
      await manager.getRepository(SignInLink).update({ tokenHash: link.tokenHash }, { usedAt: now });
      const member = await this.signInable(manager, link.memberId);
      const refresh = newSecretToken();
      const session: MemberSession = {
        id: randomUUID(),
        memberId: member.id,
        subject: link.email,
        refreshTokenHash: refresh.hash,
        createdAt: now,
        refreshedAt: now,
        expiresAt: new Date(now.getTime() + this.config.MEMBER_SESSION_SECONDS * 1000),
        endedAt: null,
      };
      await manager.getRepository(MemberSession).insert(session);
      return this.tokensFor(session, member, refresh.token);
    });
  }

  /** A new access token and refresh token for a session that lasts; the old refresh token stops working. */
  async refresh(refreshToken: string): Promise<MemberSessionTokens> {
    return this.dataSource.transaction(async (manager) => {
      const session = await manager.getRepository(MemberSession).findOne({
        where: { refreshTokenHash: hashSecretToken(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      const now = new Date();
      if (!session || session.endedAt || session.expiresAt <= now) {
        throw new MembershipException(
          MembershipErrorCode.SESSION_ENDED,
          'the session has ended (signed out, expired or renewed already): sign in again',
        );
      }
      const member = await manager.getRepository(Member).findOneByOrFail({ id: session.memberId });
      // Every renewal reads the status: an ended membership's sessions stay closed from now on.
      if (member.status === 'ended') {
        throw new MembershipException(
          MembershipErrorCode.MEMBERSHIP_ENDED,
          'the membership has ended: signing in is closed',
        );
      }
      const next = newSecretToken();
      await manager
        .getRepository(MemberSession)
        .update({ id: session.id }, { refreshTokenHash: next.hash, refreshedAt: now });
      return this.tokensFor(session, member, next.token);
    });
  }

  /** Ends the session the refresh token belongs to; ending an ended or unknown one is no error. */
  async signOut(refreshToken: string): Promise<void> {
    await this.dataSource
      .getRepository(MemberSession)
      .createQueryBuilder()
      .update()
      .set({ endedAt: () => 'now()' })
      .where('refresh_token_hash = :hash AND ended_at IS NULL', { hash: hashSecretToken(refreshToken) })
      .execute();
  }

  private async signInable(manager: EntityManager, memberId: string): Promise<Member> {
    const member = await manager.getRepository(Member).findOneByOrFail({ id: memberId });
    if (member.status === 'ended') {
      throw new MembershipException(
        MembershipErrorCode.MEMBERSHIP_ENDED,
        'the membership has ended: signing in is closed',
      );
    }
    return member;
  }

  private async tokensFor(session: MemberSession, member: Member, refreshToken: string): Promise<MemberSessionTokens> {
    const lifetime = this.config.MEMBER_ACCESS_TOKEN_SECONDS;
    const accessToken = await new SignJWT({ roles: [MEMBER_ROLE], memberId: member.id, sid: session.id })
      .setProtectedHeader({ alg: this.keys.algorithm, kid: this.keys.kid, typ: 'at+jwt' })
      .setIssuer(this.config.MEMBER_TOKEN_ISSUER)
      .setAudience(memberTokenAudience(this.config))
      .setSubject(session.subject)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${lifetime}s`)
      .sign(this.keys.privateKey);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: lifetime,
      refreshToken,
      sessionExpiresAt: session.expiresAt.toISOString(),
      memberId: member.id,
      canChange: member.status === 'active',
    };
  }
}

export function memberTokenAudience(config: MembershipConfig): string {
  return config.MEMBER_TOKEN_AUDIENCE ?? config.AUTH_AUDIENCE ?? 'valley-services';
}
