// The members' front door: what other features may use of members/.
export { admitMembers, refuseExistingMember } from './admission';
export type { AdmissionStep, Newcomer } from './admission';
export { Member } from './member.entity';
export { MembersModule } from './members.module';
export { MembersService, toMemberView } from './members.service';
export { MemberView } from './dto/member.response';
export { UpdateMemberDto } from './dto/update-member.dto';
export { parseIfMatch, withETag } from './members.controller';
export { MemberIdParams } from './dto/member-id.params';
