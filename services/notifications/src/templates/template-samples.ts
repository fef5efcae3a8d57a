import { TemplateData } from '../common/template-data';
import { TemplateName } from './template-renderer';

const organisation = 'Marijampolės Laisvosios Ekonominės Zonos Valdymo Bendrovė UAB';

/** Realistic data for every template: the preview endpoint renders with it, and tests check every template. */
export const templateSamples: Record<TemplateName, TemplateData> = {
  'application-received': {
    contactName: 'Jonas Jonaitis',
    legalName: organisation,
    applicationId: '0d6f0d5e-5a0c-4f55-9d0f-2a4a0c7e1b11',
    submittedOn: '2026-11-27',
    coordinatorEmail: 'coordinator@valley.localhost',
    statusUrl: 'http://127.0.0.1:3000/applications/0d6f0d5e-5a0c-4f55-9d0f-2a4a0c7e1b11?token=sample-token',
  },
  'application-review': {
    legalName: organisation,
    applicationId: '0d6f0d5e-5a0c-4f55-9d0f-2a4a0c7e1b11',
    submittedOn: '2026-11-27',
    country: 'LT',
    region: 'Marijampolės apskritis',
    organisationType: 'business',
    focusAreas: ['international_development', 'cooperation'],
    contactName: 'Jonas Jonaitis',
    reviewUrl: 'http://127.0.0.1:3000/console/applications/0d6f0d5e-5a0c-4f55-9d0f-2a4a0c7e1b11',
  },
  'application-rejected': {
    contactName: 'Jonas Jonaitis',
    legalName: organisation,
    applicationId: '0d6f0d5e-5a0c-4f55-9d0f-2a4a0c7e1b11',
    reason: 'The cluster admits organisations with activities in Lithuania only.',
    coordinatorEmail: 'coordinator@valley.localhost',
  },
  welcome: {
    contactName: 'Jonas Jonaitis',
    legalName: organisation,
    admittedOn: '2026-11-27',
    focusAreas: ['international_development', 'cooperation'],
    publicListing: true,
    coordinatorEmail: 'coordinator@valley.localhost',
  },
  announcement: {
    contactName: 'Ona Onaitė',
    legalName: organisation,
    admittedOn: '2026-11-27',
    region: 'Marijampolės apskritis',
    organisationType: 'business',
    focusAreas: ['international_development', 'cooperation'],
    sectorCodes: ['N82.9', 'L68.2'],
    statement: 'We bring biotechnology and food production investments to the Marijampolė free economic zone.',
    website: 'https://www.example.lt',
    coordinatorEmail: 'coordinator@valley.localhost',
    unsubscribeUrl: 'http://127.0.0.1:3003/unsubscribe?token=sample',
  },
  'member-suspended': {
    contactName: 'Jonas Jonaitis',
    legalName: organisation,
    reason: 'The membership fee for 2026 has not been paid.',
    suspendedOn: '2026-11-27',
    coordinatorEmail: 'coordinator@valley.localhost',
  },
  'membership-ended': {
    contactName: 'Jonas Jonaitis',
    legalName: organisation,
    reason: 'The organisation asked to leave the cluster.',
    endedOn: '2026-11-27',
    coordinatorEmail: 'coordinator@valley.localhost',
  },
  // The sender adds signInUrl from sign_in_links; a sample token that no one could take for a real one.
  'member-sign-in': {
    contactName: 'Jonas Jonaitis',
    legalName: organisation,
    requestedAt: '2026-11-27T09:00:00.000Z',
    requestedAtLocal: '2026-11-27 11:00',
    expiresAt: '2026-11-27T09:15:00.000Z',
    expiresAtLocal: '2026-11-27 11:15',
    validityMinutes: 15,
    coordinatorEmail: 'coordinator@valley.localhost',
    signInUrl: 'http://127.0.0.1:3000/sign-in/link?token=sample-not-a-token',
  },
  'webhook-paused': {
    subscriptionId: '3f1e2d4c-5b6a-4789-8a0b-1c2d3e4f5a6b',
    url: 'https://partner.example.lt/valley/webhooks',
    description: 'Kauno klasterio portalas',
    failures: 5,
    reason: '5 deliveries in a row failed; the last: 12 tries, the last: answered 503 Service Unavailable',
    pausedAt: '2026-12-02 10:00 UTC',
  },
};
