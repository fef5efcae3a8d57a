import { OrganisationType } from '@valley/contracts';

export const organisationTypeLabels: Record<OrganisationType, { en: string; lt: string }> = {
  business: { en: 'Business', lt: 'Verslo įmonė' },
  science_academic: { en: 'Science and academia', lt: 'Mokslo ir studijų institucija' },
  public_body: { en: 'Public body', lt: 'Viešoji įstaiga' },
  association: { en: 'Association', lt: 'Asociacija' },
  other: { en: 'Other organisation', lt: 'Kita organizacija' },
};
