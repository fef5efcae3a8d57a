import { FocusArea } from '@valley/contracts';

export const focusAreaLabels: Record<FocusArea, { en: string; lt: string }> = {
  information_communication: { en: 'Information and communication', lt: 'Informavimas ir komunikacija' },
  cooperation: { en: 'Cooperation', lt: 'Bendradarbiavimas' },
  training_skills: { en: 'Training and skills improvement', lt: 'Mokymai ir kvalifikacijos tobulinimas' },
  innovation_technologies: { en: 'Innovation and technologies', lt: 'Inovacijos ir technologijos' },
  common_marketing: { en: 'Common marketing', lt: 'Bendra rinkodara' },
  international_development: { en: 'International development', lt: 'Tarptautinė plėtra' },
  cluster_partnerships: { en: 'Partnerships with other clusters', lt: 'Partnerystė su kitais klasteriais' },
};
