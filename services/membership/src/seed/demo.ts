import { OutboxRelay } from '@valley/messaging';
import { Actor } from '@valley/platform';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource } from 'typeorm';
import { Application, ApplicationsService, SubmitApplicationDto } from '../applications';
import { DEMO_APPLICANTS, demoRegistrationCode, DemoApplicant, MLEZ } from './demo-data';

/** DEMO ONLY: the coordinator who decided the demo applications. */
const DEMO_COORDINATOR: Actor = { subject: 'coordinator@pazangiosinovacijos.example', roles: ['coordinator'] };
const DAY = 86_400_000;

export interface DemoResult {
  created: { legalName: string; status: string }[];
  skipped: number;
}

/**
 * Loads the demo: the Marijampolė free economic zone's management company as the first admitted
 * new member, then a few dozen realistic applications, pending and decided, through the same rules
 * (and events) as the API, each at its own (DEMO) date. Idempotent: an organisation that already
 * applied is skipped.
 */
export async function loadDemo(
  dataSource: DataSource,
  relay: Pick<OutboxRelay, 'wake'> = { wake: () => undefined },
): Promise<DemoResult> {
  let now = new Date();
  const applications = new ApplicationsService(dataSource, relay, () => now);
  const result: DemoResult = { created: [], skipped: 0 };
  const everyone = [MLEZ, ...DEMO_APPLICANTS];
  for (const [index, applicant] of everyone.entries()) {
    const body = demoBody(applicant, index);
    if (
      await dataSource.getRepository(Application).existsBy({ country: 'LT', registrationCode: body.registrationCode })
    ) {
      result.skipped++;
      continue;
    }
    const applied = new Date(`${applicant.appliedOn}T08:30:00Z`);
    now = applied;
    const submitted = await applications.submit(body);
    const at = (days: number) => (now = new Date(applied.getTime() + days * DAY));
    switch (applicant.outcome) {
      case 'under_review':
        at(6);
        await applications.review(submitted.id, DEMO_COORDINATOR, { note: 'Documents complete; visiting the site.' });
        break;
      case 'admitted':
        at(6);
        await applications.review(submitted.id, DEMO_COORDINATOR, {});
        at(20);
        await applications.admit(submitted.id, DEMO_COORDINATOR, { note: 'Admitted at the members’ meeting.' });
        break;
      case 'rejected':
        at(6);
        await applications.review(submitted.id, DEMO_COORDINATOR, {});
        at(20);
        await applications.reject(submitted.id, DEMO_COORDINATOR, { reason: applicant.reason ?? 'Not admitted.' });
        break;
      case 'withdrawn':
        at(9);
        await applications.withdraw(submitted.id, submitted.applicantToken, { reason: applicant.reason });
        break;
      case 'submitted':
        break;
    }
    result.created.push({ legalName: applicant.legalName, status: applicant.outcome });
  }
  return result;
}

function demoBody(applicant: DemoApplicant, index: number): SubmitApplicationDto {
  const slug = applicant.legalName
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .join('-');
  const body = plainToInstance(SubmitApplicationDto, {
    legalName: applicant.legalName,
    registrationCode: demoRegistrationCode(index),
    country: 'LT',
    region: applicant.region,
    organisationType: applicant.organisationType,
    sizeClass: applicant.sizeClass,
    sectorCodes: applicant.sectorCodes,
    focusAreas: applicant.focusAreas,
    website: `https://${slug}.example`,
    description: applicant.description,
    motivation: 'To find partners for joint projects and training among the cluster’s members.',
    contact: { name: applicant.contactName, email: `info@${slug}.example`, language: applicant.language },
    consent: { publicListing: applicant.outcome !== 'withdrawn', announcements: true },
  });
  const errors = validateSync(body, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new Error(`demo applicant ${applicant.legalName} is invalid: ${JSON.stringify(errors)}`);
  return body;
}
