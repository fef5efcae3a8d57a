import { DynamicModule, Global, Module } from '@nestjs/common';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { CoordinatorGuard } from './coordinator.guard';

@Global()
@Module({})
export class AuthModule {
  static forRoot(options: { jwtSecret: string }): DynamicModule {
    return {
      module: AuthModule,
      imports: [JwtModule.register({ secret: options.jwtSecret, verifyOptions: { algorithms: ['HS256'] } })],
      providers: [CoordinatorGuard],
      exports: [CoordinatorGuard, JwtModule],
    };
  }
}

/** Signs a development/test token; production tokens come from the cluster's identity provider. */
export function signToken(jwtSecret: string, subject: string, roles: string[], expiresInSeconds = 8 * 3600): string {
  return new JwtService({ secret: jwtSecret }).sign(
    { roles },
    { subject, algorithm: 'HS256', expiresIn: expiresInSeconds },
  );
}
