import { DynamicModule, Global, Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';
import { CoordinatorGuard } from './coordinator.guard';
import { TokenVerifier } from './token-verifier';

@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      providers: [TokenVerifier, CoordinatorGuard, { provide: AUTH_OPTIONS, useValue: options }],
      exports: [TokenVerifier, CoordinatorGuard, AUTH_OPTIONS],
    };
  }
}

/**
 * Signs a development/test token (HS256, refused when NODE_ENV=production); production tokens
 * come from the cluster's identity provider. `memberId` goes with the `member` role.
 */
export function signToken(
  jwtSecret: string,
  subject: string,
  roles: string[],
  expiresInSeconds = 8 * 3600,
  claims: { issuer?: string; audience?: string; memberId?: string } = {},
): string {
  return new JwtService({ secret: jwtSecret }).sign(
    { roles, ...(claims.memberId ? { memberId: claims.memberId } : {}) },
    {
      subject,
      algorithm: 'HS256',
      expiresIn: expiresInSeconds,
      ...(claims.issuer ? { issuer: claims.issuer } : {}),
      ...(claims.audience ? { audience: claims.audience } : {}),
    },
  );
}
