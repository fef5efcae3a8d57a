import { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ServiceConfig } from '../../config/service-config';
import { clientAddressResolver } from './client-address';

/** One per-client limit of a service: requests per window on one route. */
export interface RateLimitRule {
  /** Stable name, used in RATE_LIMITS overrides and in the counters' keys. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Route as Nest writes it: `/applications`, `/applications/:id/withdraw`. */
  path: string;
  /** Requests allowed per window and client. */
  points: number;
  seconds: number;
  /**
   * What is counted: the client's address (the default, checked before the request is read), or a
   * key the handler names (an email address: see RateLimits.consume), which the handler checks.
   */
  per?: 'client' | 'key';
  /** What the key of a `per: 'key'` rule is, for the OpenAPI description ("email address"). */
  keyName?: string;
}

/** The outcome of RateLimits.consume: allowed, or refused with when to try again. */
export type KeyedLimit = { allowed: true } | { allowed: false; retryAfterSeconds: number; rule: RateLimitRule };

export const RATE_LIMIT_RULES = Symbol('RATE_LIMIT_RULES');

/** `off`, or `name=points/seconds,…` over the service's defaults. */
export function effectiveRules(defaults: readonly RateLimitRule[], setting: string): RateLimitRule[] {
  if (setting === 'off') return [];
  const overrides = new Map(
    setting
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const [name, value] = entry.split('=');
        const [points, seconds] = value.split('/').map(Number);
        return [name, { points, seconds }] as const;
      }),
  );
  const unknown = [...overrides.keys()].filter((name) => !defaults.some((rule) => rule.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `RATE_LIMITS names unknown rules: ${unknown.join(', ')} (this service has ${defaults.map((r) => r.name).join(', ') || 'none'})`,
    );
  }
  return defaults.map((rule) => ({ ...rule, ...overrides.get(rule.name) }));
}

function routePattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

interface ActiveRule {
  rule: RateLimitRule;
  pattern: RegExp;
  limiter: RateLimiterRedis | RateLimiterMemory;
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Per-client rate limits of the routes anyone can call without a token (429 with Retry-After).
 * The counters live in Redis (REDIS_URL), shared by every instance of the service: one bot cannot
 * get N times the limit from N instances, and a restart forgets nothing. Redis and not Postgres:
 * a limit is checked on every request of the directory's search, thousands a second, which an
 * in-memory store answers in microseconds and Postgres would answer with a write each. While Redis
 * cannot be reached, each instance counts on its own (rate-limiter-flexible's insurance limiter),
 * and /health says so; a limit is never a reason to refuse service.
 */
@Injectable()
export class RateLimits implements OnModuleDestroy {
  private readonly rules: ActiveRule[];
  private readonly redis: Redis | null;
  private readonly clientAddress: (request: IncomingMessage) => string;

  constructor(config: ServiceConfig, defaults: readonly RateLimitRule[], keyPrefix: string) {
    const rules = effectiveRules(defaults, config.RATE_LIMITS);
    this.clientAddress = clientAddressResolver(config.TRUST_PROXY);
    this.redis =
      rules.length > 0
        ? new Redis(config.REDIS_URL, {
            // Fail fast while Redis is away (the insurance limiter answers), reconnect in the background.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            connectTimeout: 2_000,
            lazyConnect: false,
          })
        : null;
    this.redis?.on('error', () => undefined);
    this.rules = rules.map((rule) => {
      const options = { points: rule.points, duration: rule.seconds, keyPrefix: `${keyPrefix}:${rule.name}` };
      return {
        rule,
        pattern: routePattern(rule.path),
        limiter: new RateLimiterRedis({
          ...options,
          storeClient: this.redis!,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(options),
        }),
      };
    });
  }

  /** Where the counters are kept right now, for /health. */
  store(): { store: 'redis' | 'memory' | 'none'; reason?: string } {
    if (!this.redis) return { store: 'none' };
    return this.redis.status === 'ready'
      ? { store: 'redis' }
      : { store: 'memory', reason: `redis ${this.redis.status}: each instance counts on its own` };
  }

  get active(): readonly RateLimitRule[] {
    return this.rules.map((r) => r.rule);
  }

  middleware(): Middleware {
    return (request, response, next) => {
      const path = (request.url ?? '/').split('?')[0];
      const active = this.rules.find(
        (r) => (r.rule.per ?? 'client') === 'client' && r.rule.method === request.method && r.pattern.test(path),
      );
      if (!active) return next();
      const key = this.clientAddress(request);
      active.limiter.consume(key).then(
        (result) => {
          setLimitHeaders(response, active.rule, result);
          next();
        },
        (refusal: unknown) => {
          if (!(refusal instanceof RateLimiterRes)) return next(); // never refuse service over the counter itself
          setLimitHeaders(response, active.rule, refusal);
          const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
          response.statusCode = 429;
          response.setHeader('Retry-After', String(retryAfter));
          response.setHeader('Content-Type', 'application/json; charset=utf-8');
          response.end(
            JSON.stringify({
              statusCode: 429,
              code: 'RATE_LIMITED',
              message: `too many requests from this client: at most ${active.rule.points} in ${active.rule.seconds} s; try again in ${retryAfter} s`,
            }),
          );
        },
      );
    };
  }

  /**
   * Counts one request against a `per: 'key'` rule (a rule RATE_LIMITS turned off always allows).
   * The counter itself failing allows too: a limit is never a reason to refuse service.
   */
  async consume(ruleName: string, key: string): Promise<KeyedLimit> {
    const active = this.rules.find((r) => r.rule.name === ruleName && r.rule.per === 'key');
    if (!active) return { allowed: true };
    try {
      await active.limiter.consume(key);
      return { allowed: true };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) return { allowed: true };
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)),
        rule: active.rule,
      };
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') this.redis.disconnect();
  }
}

/** Says in an OpenAPI document which operations answer 429, with their limit. */
export function describeRateLimits(
  document: { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> },
  rules: readonly RateLimitRule[],
): void {
  for (const rule of rules) {
    const template = rule.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation = document.paths[template]?.[rule.method.toLowerCase()];
    if (!operation) continue;
    const limit =
      rule.per === 'key'
        ? `Too many requests for the same ${rule.keyName ?? 'key'}: at most ${rule.points} in ${rule.seconds} s (rule \`${rule.name}\`).`
        : `Too many requests from this client: at most ${rule.points} in ${rule.seconds} s (rule \`${rule.name}\`). ` +
          '`RateLimit-*` headers show the budget left.';
    const earlier = (operation.responses?.['429'] as { description?: string } | undefined)?.description;
    operation.responses = {
      ...operation.responses,
      '429': {
        description: earlier
          ? `${earlier} ${limit}`
          : `${limit} \`Retry-After\` says in how many seconds to try again.`,
      },
    };
  }
}

/** IETF draft RateLimit headers, so that well-behaved clients slow down before a 429. */
function setLimitHeaders(response: ServerResponse, rule: RateLimitRule, result: RateLimiterRes): void {
  response.setHeader('RateLimit-Limit', String(rule.points));
  response.setHeader('RateLimit-Remaining', String(Math.max(0, result.remainingPoints)));
  response.setHeader('RateLimit-Reset', String(Math.max(0, Math.ceil(result.msBeforeNext / 1000))));
}
