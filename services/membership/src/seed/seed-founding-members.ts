import { DataSource } from 'typeorm';
import { admitMembers } from '../members';
import { CLUSTER_FOUNDED_ON, FOUNDING_MEMBERS } from './founding-members';

/**
 * Creates the founding members that do not exist yet, each with its MemberAdmitted event
 * in the outbox (the running relay publishes them). Running it again changes nothing.
 * Returns the names of the members it created.
 */
export async function seedFoundingMembers(dataSource: DataSource): Promise<string[]> {
  return dataSource.transaction(async (manager) => {
    const founders = FOUNDING_MEMBERS.map((founder) => ({
      ...founder,
      applicationId: null,
      membershipType: 'founding' as const,
      admittedOn: CLUSTER_FOUNDED_ON,
    }));
    const admitted = await admitMembers(
      manager,
      founders,
      {
        action: 'founded',
        actor: 'system',
        at: new Date(`${CLUSTER_FOUNDED_ON}T09:00:00Z`),
        reason: () => 'founding partner of the cluster',
      },
      { ifAbsent: true },
    );
    return admitted.map((member) => member.legalName);
  });
}
