import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DirectoryEntry } from './directory-entry.entity';
import { DirectoryMemberResponse, DirectoryPageResponse } from './dto/directory-member.response';
import { ListMembersQuery } from './dto/list-members.query';

/** Reads of the public directory. Keyset pagination: stable under inserts, fast at any depth. */
@Injectable()
export class DirectoryService {
  constructor(@InjectRepository(DirectoryEntry) private readonly entries: Repository<DirectoryEntry>) {}

  async list(query: ListMembersQuery): Promise<DirectoryPageResponse> {
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const qb = this.entries
      .createQueryBuilder('e')
      .where('e.listed = true')
      .orderBy('e.sort_name', 'ASC')
      .addOrderBy('e.member_id', 'ASC')
      .limit(query.limit + 1);
    if (after) qb.andWhere('(e.sort_name, e.member_id) > (:name, :id)', { name: after.name, id: after.id });
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toPublicMember),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ name: last.sortName, id: last.memberId }) : null,
    };
  }
}

function toPublicMember(e: DirectoryEntry): DirectoryMemberResponse {
  return {
    id: e.memberId,
    legalName: e.legalName,
    country: e.country,
    region: e.region,
    organisationType: e.organisationType,
    sizeClass: e.sizeClass,
    sectorCodes: e.sectorCodes,
    focusAreas: e.focusAreas,
    website: e.website,
    description: e.description,
    membershipType: e.membershipType,
    memberSince: e.memberSince,
  };
}

interface Cursor {
  name: string;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.name, cursor.id])).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const [name, id] = JSON.parse(Buffer.from(raw, 'base64url').toString());
    if (typeof name === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { name, id };
  } catch {
    // falls through to the 400 below
  }
  throw new BadRequestException({
    statusCode: 400,
    message: ['cursor is not a cursor this API gave out'],
    fields: [{ field: 'cursor', messages: ['cursor is not a cursor this API gave out'] }],
  });
}
