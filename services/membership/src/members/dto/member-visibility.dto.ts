import { ApiPropertyOptional } from '@nestjs/swagger';
import { Visibilities, Visibility, VisibleField } from '@valley/contracts';
import { IsIn } from 'class-validator';
import { PresentMeansNotNull } from '../../common/present-means-not-null';

const CHOICE = 'public (anyone), members (signed-in members and coordinators) or hidden.';

/** Who sees each directory field; a PATCH changes the fields it names and keeps the others. */
export class MemberVisibilityDto implements Partial<Record<VisibleField, Visibility>> {
  @ApiPropertyOptional({ enum: Visibilities, description: `The contact person's name: ${CHOICE}` })
  @PresentMeansNotNull()
  @IsIn(Visibilities)
  contactName?: Visibility;

  @ApiPropertyOptional({ enum: Visibilities, description: `The contact's email: ${CHOICE}` })
  @PresentMeansNotNull()
  @IsIn(Visibilities)
  contactEmail?: Visibility;

  @ApiPropertyOptional({ enum: Visibilities, description: `The contact's phone: ${CHOICE}` })
  @PresentMeansNotNull()
  @IsIn(Visibilities)
  contactPhone?: Visibility;

  @ApiPropertyOptional({ enum: Visibilities, description: `The website: ${CHOICE}` })
  @PresentMeansNotNull()
  @IsIn(Visibilities)
  website?: Visibility;

  @ApiPropertyOptional({ enum: Visibilities, description: `The description: ${CHOICE}` })
  @PresentMeansNotNull()
  @IsIn(Visibilities)
  description?: Visibility;

  @ApiPropertyOptional({ enum: Visibilities, description: `The statement: ${CHOICE}` })
  @PresentMeansNotNull()
  @IsIn(Visibilities)
  statement?: Visibility;

  @ApiPropertyOptional({ enum: Visibilities, description: `The logo: ${CHOICE}` })
  @PresentMeansNotNull()
  @IsIn(Visibilities)
  logo?: Visibility;
}
