import { Injectable } from '@nestjs/common';
import { MemberPrincipal } from '@valley/platform';
import { MembershipErrorCode, MembershipException } from '../errors/membership.exception';
import { HistoryEntryView } from '../history';
import { MembersService, MemberView, UpdateMemberDto } from '../members';

/**
 * The member's own record, through the coordinator's rules (MembersService) with the member's
 * limits on top: an ended membership is closed, a suspended one is read-only.
 */
@Injectable()
export class MeService {
  constructor(private readonly members: MembersService) {}

  async get(member: MemberPrincipal): Promise<MemberView> {
    return this.open(await this.members.get(member.memberId));
  }

  async history(member: MemberPrincipal): Promise<HistoryEntryView[]> {
    this.open(await this.members.get(member.memberId));
    return this.members.history(member.memberId);
  }

  async update(member: MemberPrincipal, expectedVersion: number, dto: UpdateMemberDto): Promise<MemberView> {
    this.open(await this.members.get(member.memberId));
    return this.members.update(
      member.memberId,
      expectedVersion,
      dto,
      { subject: member.subject, roles: member.roles },
      { byMember: true },
    );
  }

  private open(view: MemberView): MemberView {
    if (view.status === 'ended') {
      throw new MembershipException(
        MembershipErrorCode.MEMBERSHIP_ENDED,
        'the membership has ended: signing in is closed',
      );
    }
    return view;
  }
}
