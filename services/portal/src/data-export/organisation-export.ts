import { BearerApis, UpstreamName, UpstreamNames, UpstreamUnavailable } from '../upstream';

/** Everything Valley holds about one organisation: each service's part, as that service gave it. */
export interface OrganisationExport {
  organisationId: string;
  exportedAt: string;
  services: Record<UpstreamName, Record<string, unknown>>;
}

interface ServicePart {
  organisationId: string;
  data: Record<string, unknown>;
}

/**
 * Asks every service for its part, at once: `GET /me/export` with a member's token, or
 * `GET /members/:id/export` with a coordinator's. All four or none: an export with a part
 * missing would tell the member Valley holds less than it does.
 */
export async function collectExport(
  apis: BearerApis,
  organisationId: string | null,
): Promise<OrganisationExport | null> {
  const path = organisationId ? `/members/${organisationId}/export` : '/me/export';
  const parts = await Promise.all(
    UpstreamNames.map(async (service) => {
      const answer = await apis[service].request<ServicePart>(path);
      if (answer.status === 404 || answer.status === 400) return null;
      if (answer.status !== 200) throw new UpstreamUnavailable(service, `GET ${path} answered ${answer.status}`);
      return [service, answer.body] as const;
    }),
  );
  if (parts.some((p) => p === null)) return null;
  const found = parts as (readonly [UpstreamName, ServicePart])[];
  return {
    organisationId: found[0][1].organisationId,
    exportedAt: new Date().toISOString(),
    services: Object.fromEntries(
      found.map(([service, part]) => [service, part.data]),
    ) as OrganisationExport['services'],
  };
}
