import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LinesText } from '@valley/platform';
import { ArrayUnique, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Free text of an organisation that a coordinator may mark personal (its contact always is). */
export const PersonalTextFields = ['description', 'statement', 'motivation'] as const;
export type PersonalTextField = (typeof PersonalTextFields)[number];

export class EraseDto {
  @ApiProperty({
    maxLength: 2000,
    description: 'Why (the request, its date): recorded in the history with who and when, never what was erased.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @LinesText()
  reason!: string;

  @ApiPropertyOptional({
    type: [String],
    enum: PersonalTextFields,
    description:
      'Free text that holds personal data and goes too (membership keeps the rest). Every other service forgets ' +
      'the description and the statement anyway: they travelled sealed with the contact.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(PersonalTextFields, { each: true, message: `personalText must hold only ${PersonalTextFields.join(', ')}` })
  personalText?: PersonalTextField[];
}
