/**
 * The contact person, shown only where the member consented to it; each of its fields null where
 * its visibility does not show it to the caller.
 */
export interface PublicContact {
  name: string | null;
  email: string | null;
  phone: string | null;
}

/**
 * A listed member as one audience (the public, or signed-in members) sees it: a field its
 * visibility does not show to the audience is null, the contact only with consent. The search
 * index serializes it once per member and audience; `GET /members` and `GET /members/:id` answer
 * it (documented there as DirectoryMemberResponse).
 */
export interface ListedMember {
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
  contact: PublicContact | null;
  membershipType: string;
  /** YYYY-MM-DD */
  memberSince: string;
}
