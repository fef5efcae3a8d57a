import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createEvent, ServiceName, Topics } from '@valley/contracts';
import { loadConfig, signToken } from '@valley/platform';
import { RunningDevIdentityProvider, startDevIdentityProvider, TEST_JWT_SECRET } from '@valley/platform/testing';
import { eventually, freePort, KafkaTestClient, SmtpSink, uniqueTopicPrefix } from '@valley/testing';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource, In } from 'typeorm';
import { memberAdmittedPayload } from '../../../services/membership/src/common/event-payloads';
import { Member } from '../../../services/membership/src/members/member.entity';
import { CLUSTER_FOUNDED_ON, FOUNDING_MEMBERS } from '../../../services/membership/src/seed/founding-members';
import { seedFoundingMembers } from '../../../services/membership/src/seed/seed-founding-members';
import { PortalConfig } from '../../../services/portal/src/portal.config';
import { createPortalApp } from '../../../services/portal/src/portal-app';
import { startService } from '../../support/service-apps';

/** The issuer of members' tokens in the stack (membership's MEMBER_TOKEN_ISSUER, the directory's AUTH_MEMBER_ISSUER). */
const MEMBER_ISSUER = 'http://membership.portal.test';

function baseUrl(app: INestApplication): string {
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

/**
 * The four services in this process against the real Postgres, Kafka and an SMTP server (as the
 * e2e tests run them), and the portal in front of them on their real ports, as `npm start` runs it.
 */
export class PortalStack {
  readonly prefix = uniqueTopicPrefix();
  readonly smtp = new SmtpSink();
  readonly services: Partial<Record<ServiceName, INestApplication>> = {};
  portal!: INestApplication;
  portalUrl!: string;
  /** The DEV ONLY OpenID Connect provider (its own process), when asked for: coordinators sign in there. */
  identityProvider?: RunningDevIdentityProvider;
  private kafka!: KafkaTestClient;
  private tokenClaims: { issuer?: string; audience?: string } = {};

  constructor(
    private readonly options: {
      /** Run the dev identity provider for the portal's coordinator sign-in (OIDC_ISSUER_URL). */
      identityProvider?: boolean;
      /** With identityProvider: the four services accept its access tokens (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE). */
      servicesTrustProvider?: boolean;
      /** More portal variables (PORTAL_RENEW_BEFORE_SECONDS…). */
      portalEnv?: Record<string, string>;
    } = {},
  ) {}

  async start(): Promise<void> {
    await this.smtp.start();
    const portalPort = await freePort();
    this.portalUrl = `http://127.0.0.1:${portalPort}`;
    if (this.options.identityProvider) {
      // The portal's redirect and sign-out URIs on its test port, besides the provider's DEV ones.
      this.identityProvider = await startDevIdentityProvider({
        DEV_IDP_REDIRECT_URIS: `${this.portalUrl}/sign-in/callback`,
        DEV_IDP_POST_LOGOUT_REDIRECT_URIS: `${this.portalUrl}/`,
      });
    }
    // Asked for: the services also trust the provider's access tokens (a signed-in coordinator's
    // pages call their APIs with that bearer). The verifier then wants the provider's issuer and
    // audience in the tests' HS256 tokens too: this.coordinatorToken() signs them so.
    const auth: Record<string, string> =
      this.identityProvider && this.options.servicesTrustProvider
        ? {
            AUTH_JWKS_URL: this.identityProvider.jwksUrl,
            AUTH_ISSUER: this.identityProvider.issuer,
            AUTH_AUDIENCE: this.identityProvider.audience,
          }
        : {};
    this.tokenClaims = auth.AUTH_ISSUER ? { issuer: auth.AUTH_ISSUER, audience: auth.AUTH_AUDIENCE } : {};
    // Membership first: the other services check members' tokens (a member's pages call them with
    // that bearer) against membership's issuer and its keys over HTTP, as `npm start` runs them.
    const membership = await startService('membership', this.prefix, { ...auth, MEMBER_TOKEN_ISSUER: MEMBER_ISSUER });
    const memberTokens = {
      AUTH_MEMBER_ISSUER: MEMBER_ISSUER,
      AUTH_MEMBER_JWKS_URL: `${baseUrl(membership)}/.well-known/jwks.json`,
    };
    const [directory, notifications, reporting] = await Promise.all([
      startService('directory', this.prefix, { ...auth, ...memberTokens }),
      startService('notifications', this.prefix, {
        ...auth,
        ...memberTokens,
        SMTP_URL: this.smtp.url,
        MAIL_RETRY_DELAY_MS: '200',
        // The link in the acknowledgement email: `${PORTAL_URL}/applications/:id?token=…`.
        PORTAL_URL: this.portalUrl,
      }),
      startService('reporting', this.prefix, { ...auth, ...memberTokens }),
    ]);
    Object.assign(this.services, { membership, directory, notifications, reporting });
    const config = loadConfig(PortalConfig, {
      PORT: String(portalPort),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      MEMBERSHIP_URL: baseUrl(membership),
      DIRECTORY_URL: baseUrl(directory),
      NOTIFICATIONS_URL: baseUrl(notifications),
      REPORTING_URL: baseUrl(reporting),
      UPSTREAM_TIMEOUT_MS: '2000',
      PORTAL_PUBLIC_URL: this.portalUrl,
      ...(this.identityProvider ? { OIDC_ISSUER_URL: this.identityProvider.issuer } : {}),
      ...this.options.portalEnv,
    });
    this.portal = await createPortalApp(config, { logger: false });
    await this.portal.listen(portalPort, '127.0.0.1');
    this.kafka = new KafkaTestClient(process.env.VALLEY_TEST_KAFKA_BROKERS!.split(','), this.prefix);
  }

  async stop(): Promise<void> {
    await this.portal?.close();
    await Promise.all(Object.values(this.services).map((app) => app?.close()));
    await this.kafka?.close();
    await this.smtp.stop();
    await this.identityProvider?.stop();
  }

  /** Stops one service, as when it crashed: its port closes. */
  async stopService(service: ServiceName): Promise<void> {
    await this.services[service]?.close();
    delete this.services[service];
  }

  /** A development (HS256) coordinator token that these services accept. */
  coordinatorToken(subject = 'coordinator@test'): string {
    return signToken(TEST_JWT_SECRET, subject, ['coordinator'], 8 * 3600, this.tokenClaims);
  }

  http(service: ServiceName) {
    return request(this.services[service]!.getHttpServer());
  }

  /**
   * The five founders, listed in this suite's directory. The seed creates them once per database
   * and its relay publishes their MemberAdmitted on the prefix of the suite that ran it first; when
   * they already exist, their MemberAdmitted goes on this suite's topics too (as a directory
   * rebuild would read it), built from the rows exactly as the seed builds it.
   */
  async founders(): Promise<void> {
    const db = this.services.membership!.get<DataSource>(getDataSourceToken());
    const created = await seedFoundingMembers(db);
    const existing = await db.getRepository(Member).findBy({
      id: In(FOUNDING_MEMBERS.filter((f) => !created.includes(f.legalName)).map((f) => f.id)),
    });
    if (existing.length > 0) {
      await this.kafka.produce(
        Topics.MembershipLifecycle,
        existing.map((member) => ({
          key: member.id,
          value: JSON.stringify(
            createEvent({
              type: 'MemberAdmitted',
              producer: 'membership',
              aggregateId: member.id,
              occurredAt: new Date(`${CLUSTER_FOUNDED_ON}T09:00:00Z`),
              payload: memberAdmittedPayload(member),
            }),
          ),
        })),
      );
    }
    await this.listed(FOUNDING_MEMBERS.map((f) => f.id));
  }

  /** An organisation admitted through membership's API (its id), listed in the directory. */
  async admit(body: Record<string, unknown>): Promise<string> {
    const submitted = await this.http('membership').post('/applications').send(body).expect(201);
    const admitted = await this.http('membership')
      .post(`/applications/${submitted.body.id}/admit`)
      .set('Authorization', `Bearer ${this.coordinatorToken()}`)
      .send({})
      .expect(201);
    await this.listed([admitted.body.memberId]);
    return admitted.body.memberId;
  }

  private async listed(ids: string[]): Promise<void> {
    await eventually(async () => {
      for (const id of ids) await this.http('directory').get(`/members/${id}`).expect(200);
    }, 30_000);
  }
}
