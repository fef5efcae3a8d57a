import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Actor, CoordinatorGuard, RequestWithActor } from './coordinator.guard';

/** Marks an endpoint as the coordinator's: 401 without a valid token, 403 without the role. */
export function Coordinator(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(CoordinatorGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid bearer token.' }),
    ApiForbiddenResponse({ description: 'The token lacks the coordinator role.' }),
  );
}

/** The authenticated actor of a @Coordinator() endpoint. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on an endpoint without @Coordinator()');
  return actor;
});
