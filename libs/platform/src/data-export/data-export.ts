import { Controller, DynamicModule, Get, Inject, Module, Param, Type } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ServiceName, ServiceNames } from '@valley/contracts';
import { IsUUID } from 'class-validator';
import { Coordinator } from '../auth/coordinator.decorator';
import { CurrentMember, MemberPrincipal, SignedInMember } from '../auth/member.guard';

/**
 * What one service holds about one organisation, for its data export (GDPR Articles 15 and 20):
 * every row of its own schema that is about it, secrets (token hashes) left out. Sections with
 * nothing in them are still there, empty, so that an export says "none" rather than nothing.
 */
export interface DataExportSource {
  collect(organisationId: string): Promise<Record<string, unknown>>;
}

export const DATA_EXPORT_SOURCE = Symbol('DATA_EXPORT_SOURCE');
const DATA_EXPORT_SERVICE = Symbol('DATA_EXPORT_SERVICE');

export class OrganisationDataExport {
  @ApiProperty({ enum: ServiceNames, description: 'The service that holds this part.' })
  service!: ServiceName;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ format: 'date-time' })
  exportedAt!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'A section per kind of record this service keeps about the organisation.',
  })
  data!: Record<string, unknown>;
}

class OrganisationIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

@ApiTags('data export')
@Controller()
class DataExportController {
  constructor(
    @Inject(DATA_EXPORT_SOURCE) private readonly source: DataExportSource,
    @Inject(DATA_EXPORT_SERVICE) private readonly service: ServiceName,
  ) {}

  @Get('members/:id/export')
  @Coordinator()
  @ApiOperation({
    summary: "Everything this service holds about the organisation, as one JSON document (coordinator's export).",
  })
  @ApiOkResponse({ type: OrganisationDataExport })
  @ApiBadRequestResponse({ description: '`id` is not a UUID.' })
  forCoordinator(@Param() params: OrganisationIdParams): Promise<OrganisationDataExport> {
    return this.export(params.id);
  }

  @Get('me/export')
  @SignedInMember()
  @ApiOperation({
    summary: 'Everything this service holds about the signed-in member’s organisation (its own export).',
  })
  @ApiOkResponse({ type: OrganisationDataExport })
  forMember(@CurrentMember() member: MemberPrincipal): Promise<OrganisationDataExport> {
    return this.export(member.memberId);
  }

  private async export(organisationId: string): Promise<OrganisationDataExport> {
    return {
      service: this.service,
      organisationId,
      exportedAt: new Date().toISOString(),
      data: await this.source.collect(organisationId),
    };
  }
}

/**
 * `GET /members/:id/export` (coordinator) and `GET /me/export` (member) for a service, answered
 * by its own DataExportSource. The portal puts the four services' parts together.
 */
@Module({})
export class DataExportModule {
  static forService(service: ServiceName, source: Type<DataExportSource>, imports: DynamicModule['imports'] = []) {
    return {
      module: DataExportModule,
      imports,
      controllers: [DataExportController],
      providers: [
        source,
        { provide: DATA_EXPORT_SOURCE, useExisting: source },
        { provide: DATA_EXPORT_SERVICE, useValue: service },
      ],
    } satisfies DynamicModule;
  }
}
