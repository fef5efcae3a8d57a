import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ContactLanguage, ContactLanguages } from '@valley/contracts';

export class ContactView {
  @ApiProperty()
  name!: string;

  @ApiProperty()
  email!: string;

  @ApiPropertyOptional()
  phone?: string;

  @ApiProperty({ enum: ContactLanguages })
  language!: ContactLanguage;
}
