import { ApiPropertyOptional } from '@nestjs/swagger';
import { OneLineText } from '@valley/platform';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/page';
import { MemberStatus, MemberStatuses } from '../member.entity';

export class ListMembersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MemberStatuses })
  @IsOptional()
  @IsIn(MemberStatuses)
  status?: MemberStatus;

  @ApiPropertyOptional({
    maxLength: 200,
    description:
      'Members whose legal name contains this text, ignoring case and Lithuanian diacritics (`pazangios` finds Pažangios), or whose registration code it is. Empty: every member.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @OneLineText()
  q?: string;
}
