import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { Observable } from 'rxjs';

/**
 * Names the HTTP server span after its route (`POST /applications/:id/admit`, not `POST`), as
 * instrumentation-express would, without its middleware spans: the route goes into the request's
 * RPC metadata, which instrumentation-http reads when the span ends. Nothing happens untraced.
 */
@Injectable()
export class HttpRouteInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (execution.getType() === 'http') {
      const metadata = getRPCMetadata(context.active());
      if (metadata?.type === RPCType.HTTP) {
        const request = execution.switchToHttp().getRequest<{
          route?: { path?: string };
          routeOptions?: { url?: string };
          baseUrl?: string;
        }>();
        // Express: the router's route (under its mount point); Fastify: the route's URL pattern.
        const route =
          request.routeOptions?.url ??
          (request.route?.path ? `${request.baseUrl ?? ''}${request.route.path}` : undefined);
        if (route) metadata.route = route;
      }
    }
    return next.handle();
  }
}
