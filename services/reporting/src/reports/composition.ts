export const Dimensions = ['sector', 'region', 'country', 'organisationType', 'sizeClass', 'focusArea'] as const;
export type Dimension = (typeof Dimensions)[number];

export const SectorLevels = ['section', 'division', 'group', 'class'] as const;
export type SectorLevel = (typeof SectorLevels)[number];

/** Characters of a NACE code (`C26.11`) that name it at each level: C, C26, C26.1, C26.11. */
export const SECTOR_LEVEL_LENGTH: Record<SectorLevel, number> = { section: 1, division: 3, group: 5, class: 6 };
