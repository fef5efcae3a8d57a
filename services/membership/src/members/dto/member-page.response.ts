import { ApiProperty } from '@nestjs/swagger';
import { MemberView } from './member.response';

export class MemberPage {
  @ApiProperty({ type: [MemberView] })
  items!: MemberView[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;
}
