import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ContactLanguage, ContactLanguages } from '@valley/contracts';
import { DeliverableEmail, OneLineText } from '@valley/platform';
import { IsEmail, IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { PresentMeansNotNull } from '../present-means-not-null';

/** The organisation's contact person, in an application and in a member's profile change. */
export class ApplicationContactDto {
  @ApiProperty({ example: 'Rūta Petrauskienė', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @OneLineText()
  name!: string;

  @ApiProperty({
    example: 'ruta@example.lt',
    format: 'email',
    maxLength: 254,
    description: 'An email address, without spaces or invisible characters (a mail server refuses them).',
  })
  @IsEmail()
  @MaxLength(254)
  @OneLineText()
  @DeliverableEmail()
  email!: string;

  @ApiPropertyOptional({ example: '+370 600 00000', maxLength: 40 })
  @PresentMeansNotNull()
  @IsString()
  @Matches(/^\+?[0-9 ()-]{5,40}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) -)' })
  phone?: string;

  @ApiProperty({ enum: ContactLanguages, description: 'Language of the emails this contact gets.' })
  @IsIn(ContactLanguages)
  language!: ContactLanguage;
}
