import { Inject, Injectable } from '@nestjs/common';
import { PortalConfig } from '../portal.config';
import { BearerApis } from './bearer-client';
import { UpstreamClient, UpstreamName, UpstreamNames, UpstreamUnavailable, Visitor } from './upstream-client';

/** The shapes of the services' answers the portal reads (their OpenAPI documents describe them in full). */
export interface DirectoryMember {
  id: string;
  legalName: string;
  country: string;
  region: string;
  organisationType: string;
  sizeClass: string;
  sectorCodes: string[];
  focusAreas: string[];
  website: string | null;
  description: string | null;
  statement: string | null;
  logoUrl: string | null;
  contact: { name: string; email: string; phone: string | null } | null;
  membershipType: string;
  memberSince: string;
}

export interface FacetValue {
  value: string;
  count: number;
}

export const FacetNames = [
  'sector',
  'region',
  'country',
  'focusArea',
  'organisationType',
  'sizeClass',
  'memberSinceYear',
] as const;
export type FacetName = (typeof FacetNames)[number];

export interface DirectoryPage {
  items: DirectoryMember[];
  nextCursor: string | null;
  total: number;
  facets?: Record<FacetName, FacetValue[]>;
}

export interface ApplicationView {
  id: string;
  organisationId: string;
  status: string;
  legalName: string;
  registrationCode: string;
  country: string;
  region: string;
  organisationType: string;
  sizeClass: string;
  sectorCodes: string[];
  focusAreas: string[];
  website: string | null;
  description: string | null;
  motivation: string | null;
  /** Null once its personal data was erased. */
  contact: { name: string; email: string; phone?: string; language: string } | null;
  consent: { publicListing: boolean; announcements: boolean };
  submittedAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
  erasedAt?: string | null;
}

export interface HistoryEntry {
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  reason: string | null;
  at: string;
}

export interface SubmittedApplication {
  id: string;
  organisationId: string;
  status: string;
  applicantToken: string;
  submittedAt: string;
}

/** Membership's answer to POST /sign-in/token and /sign-in/refresh: a member's session. */
export interface MemberSessionTokens {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  sessionExpiresAt: string;
  memberId: string;
  canChange: boolean;
}

/** Membership's GET /me (the fields the portal reads so far; its OpenAPI document has them all). */
export interface MemberRecord {
  id: string;
  legalName: string;
  membershipType: string;
  status: 'active' | 'suspended' | 'ended' | string;
  statusReason: string | null;
  admittedOn: string;
  contact: { name: string; email: string; phone?: string | null; language?: string };
  version: number;
}

/** A 4xx body of the services: `code` (their error enum) and, for bad input, `fields`. */
export interface ApiError {
  statusCode?: number;
  code?: string;
  message?: string | string[];
  fields?: { field: string; messages: string[] }[];
}

/** One client per service, from the configured base URLs and timeout. */
@Injectable()
export class ServiceApis {
  readonly clients: Record<UpstreamName, UpstreamClient>;

  constructor(@Inject(PortalConfig) config: PortalConfig) {
    const urls: Record<UpstreamName, string> = {
      membership: config.MEMBERSHIP_URL,
      directory: config.DIRECTORY_URL,
      notifications: config.NOTIFICATIONS_URL,
      reporting: config.REPORTING_URL,
    };
    this.clients = Object.fromEntries(
      UpstreamNames.map((name) => [name, new UpstreamClient(name, urls[name], config.UPSTREAM_TIMEOUT_MS)]),
    ) as Record<UpstreamName, UpstreamClient>;
  }

  /** The services as a signed-in person calls them: their access token on every request. */
  withBearer(accessToken: string, visitor: Visitor): BearerApis {
    return new BearerApis(this.clients, accessToken, visitor);
  }

  get membership(): UpstreamClient {
    return this.clients.membership;
  }

  get directory(): UpstreamClient {
    return this.clients.directory;
  }

  /**
   * A directory search; `query` is the API's own query string (see directory-search.ts). With the
   * signed-in person's access token the directory also shows the fields members keep for members.
   */
  async searchMembers(query: URLSearchParams, visitor: Visitor, bearer?: string): Promise<DirectoryPage> {
    const answer = await this.directory.request<DirectoryPage & ApiError>(`/members?${query}`, {
      visitor,
      headers: authorization(bearer),
    });
    if (answer.status !== 200) throw new DirectorySearchRefused(answer.body);
    return answer.body;
  }

  /** A listed member's profile, or null when the directory does not list it (or the id is no id). */
  async member(id: string, visitor: Visitor, bearer?: string): Promise<DirectoryMember | null> {
    const answer = await this.directory.request<DirectoryMember>(`/members/${encodeURIComponent(id)}`, {
      visitor,
      headers: authorization(bearer),
    });
    if (answer.status === 404 || answer.status === 400) return null;
    if (answer.status !== 200) throw new UpstreamUnavailable('directory', `answered ${answer.status}`);
    return answer.body;
  }
}

/** A signed-in person's token, so the directory shows what members may see (none: the public view). */
function authorization(bearer: string | undefined): Record<string, string> {
  return bearer ? { authorization: `Bearer ${bearer}` } : {};
}

/** The directory refused a search (400): a parameter the portal let through that the API does not take. */
export class DirectorySearchRefused extends Error {
  constructor(readonly body: ApiError) {
    super(`the directory refused the search: ${JSON.stringify(body?.fields ?? body?.message)}`);
    this.name = 'DirectorySearchRefused';
  }
}
