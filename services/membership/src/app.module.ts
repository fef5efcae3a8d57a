import { DynamicModule, Module } from '@nestjs/common';
import { DataExportModule, ServiceCoreModule } from '@valley/platform';
import { ApplicationsModule } from './applications/applications.module';
import { membershipDatabase } from './database/membership-database';
import { MembershipDataExport } from './data-export/membership-data-export';
import { ErasureModule } from './erasure/erasure.module';
import { MeModule } from './me/me.module';
import { personalDataMasterKey } from '@valley/messaging';
import { usePersonalDataMasterKey } from './personal-data';
import { MembersModule } from './members/members.module';
import { MembershipConfig } from './membership.config';
import { MEMBERSHIP_RATE_LIMITS } from './rate-limits';
import { MEMBER_TOKEN_KEYS, memberTokenKeys, SignInModule } from './sign-in';

@Module({})
export class MembershipAppModule {
  static forRoot(config: MembershipConfig): DynamicModule {
    const keys = memberTokenKeys(config.MEMBER_TOKEN_PRIVATE_KEY);
    // Membership verifies the member tokens it signs with its own keys, not over HTTP from itself.
    config.AUTH_MEMBER_ISSUER = config.MEMBER_TOKEN_ISSUER;
    // What the outbox seals personal fields with (personal-data/sealed-outbox.ts).
    usePersonalDataMasterKey(personalDataMasterKey(config.PERSONAL_DATA_KEY));
    return {
      module: MembershipAppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'membership',
          config,
          rateLimits: MEMBERSHIP_RATE_LIMITS,
          auth: { memberJwks: keys.jwks },
          database: membershipDatabase,
          extraProviders: [
            { provide: MembershipConfig, useValue: config },
            { provide: MEMBER_TOKEN_KEYS, useValue: keys },
          ],
        }),
        ApplicationsModule,
        MembersModule,
        MeModule,
        SignInModule,
        ErasureModule,
        DataExportModule.forService('membership', MembershipDataExport),
      ],
    };
  }
}
