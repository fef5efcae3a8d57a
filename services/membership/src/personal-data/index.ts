export { OrganisationKey } from './organisation-key.entity';
export { appendSealedToOutbox, usePersonalDataMasterKey } from './sealed-outbox';
export { shredOrganisationKey } from './organisation-key-shredding';
