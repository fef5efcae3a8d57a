import { createHash } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, NestMiddleware } from '@nestjs/common';
import { resolveViewer, TokenVerifier } from '@valley/platform';
import { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { Audience, audienceOf } from '../common/audience';
import { DirectoryConfig } from '../directory.config';
import { MemberIndex, SearchMetrics } from '../search';

/** An answer as it goes on the wire: JSON bytes and their ETag. */
export interface SerializedAnswer {
  body: Buffer;
  etag: string;
}

/**
 * Search answers, serialized once, per index snapshot, by audience (the public, or signed-in
 * members: their answers differ, a member's is never served to the public) and request URL (path
 * and query string as sent: the same URL is the same validated query). Never stale: it empties when the index
 * changes. Bounded: beyond SEARCH_CACHE_ENTRIES the least recently used goes (0: nothing is
 * kept, every answer is computed). CachedAnswerMiddleware answers a URL found here before
 * validation; the handlers keep what they computed.
 *
 * An answer is kept from the second time its URL is asked: most searches are asked once, and
 * keeping each of them (about 10 kB) only to evict it later made the garbage collector sweep the
 * whole heap every two seconds under a stream of new searches.
 */
@Injectable()
export class AnswerCache {
  /** Null when SEARCH_CACHE_ENTRIES is 0. */
  private readonly answers: LRUCache<string, SerializedAnswer> | null;
  /** URLs asked before (under this index or an earlier one): their answers are kept. */
  private readonly askedBefore: LRUCache<string, true> | null;
  private version = -1;

  constructor(
    private readonly index: MemberIndex,
    private readonly metrics: SearchMetrics,
    config: DirectoryConfig,
  ) {
    const max = config.SEARCH_CACHE_ENTRIES;
    this.answers = max > 0 ? new LRUCache({ max }) : null;
    this.askedBefore = max > 0 ? new LRUCache({ max }) : null;
  }

  /** The answer kept for this audience and URL, if any. */
  find(audience: Audience, url: string): SerializedAnswer | undefined {
    const cached = this.current()?.get(keyOf(audience, url));
    if (cached) this.metrics.answers.inc({ source: 'cache' });
    return cached;
  }

  /** Serializes an answer the index computed just now, and keeps it if its URL was asked before. */
  keep(audience: Audience, url: string, json: string): SerializedAnswer {
    const answer = serialize(json);
    this.metrics.answers.inc({ source: 'index' });
    const answers = this.current();
    if (answers && this.askedBefore) {
      const key = keyOf(audience, url);
      if (this.askedBefore.get(key)) answers.set(key, answer);
      else this.askedBefore.set(key, true);
    }
    return answer;
  }

  /** The answers of the index as it is now (emptied when it changed). */
  private current(): LRUCache<string, SerializedAnswer> | null {
    if (this.answers && this.version !== this.index.version) {
      this.answers.clear();
      this.version = this.index.version;
    }
    return this.answers;
  }
}

/** The cache key of an audience's answer to a URL: the public's is the URL as it was. */
function keyOf(audience: Audience, url: string): string {
  return audience === 'public' ? url : `members ${url}`;
}

/** JSON text as it goes on the wire, with its ETag. */
export function serialize(json: string): SerializedAnswer {
  const body = Buffer.from(json);
  return { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` };
}

/**
 * Answers may be cached for seconds (a withdrawn consent must show soon); ETags make revalidation
 * cheap. An answer to a request with `Authorization` is `private`: a shared cache must not keep
 * it (`public` would let it, RFC 9111 3.5), so a member's answer never reaches another caller.
 * Every answer varies by `Authorization`: a cache keeps the anonymous one for anonymous requests
 * only.
 */
export const CACHE_CONTROL = 'public, max-age=5';
export const PRIVATE_CACHE_CONTROL = 'private, max-age=5';
export const VARY = 'Authorization';

/** The caching headers of an answer to a request with or without `Authorization`. */
export function cachingHeaders(
  authorization: string | string[] | undefined,
  vary: string | number | string[] | undefined,
): { 'Cache-Control': string; Vary: string } {
  const existing =
    vary === undefined
      ? []
      : String(vary)
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
  const varies = existing.some((v) => v.toLowerCase() === VARY.toLowerCase() || v === '*');
  return {
    'Cache-Control': authorization === undefined ? CACHE_CONTROL : PRIVATE_CACHE_CONTROL,
    Vary: varies ? existing.join(', ') : [...existing, VARY].join(', '),
  };
}

/** Whether the client already has this answer (If-None-Match names its ETag). */
function known(ifNoneMatch: string | undefined, etag: string): boolean {
  return !!ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
}

/** Sends an answer with its ETag and caching headers, or 304 without a body when the client already has it. */
export function sendAnswer(request: FastifyRequest, reply: FastifyReply, answer: SerializedAnswer): void {
  const caching = cachingHeaders(request.headers.authorization, reply.getHeader('vary'));
  reply.header('Cache-Control', caching['Cache-Control']).header('Vary', caching.Vary).header('ETag', answer.etag);
  if (known(request.headers['if-none-match'], answer.etag)) {
    void reply.code(304).send();
    return;
  }
  void reply.type('application/json; charset=utf-8').send(answer.body);
}

/**
 * Answers a search whose URL is in the AnswerCache for the caller's audience before validation (a
 * kept URL passed it when it was first asked); any other request goes on to its handler. The
 * audience comes from the `Authorization` header as the handler's ViewerGuard would see it: none,
 * the public (no verification, no wait); a token, verified first; a token that does not verify
 * goes on to the handler, whose guard refuses it (401), so a bad token never gets a kept answer.
 */
@Injectable()
export class CachedAnswerMiddleware implements NestMiddleware {
  constructor(
    private readonly answers: AnswerCache,
    private readonly verifier: TokenVerifier,
  ) {}

  use(
    request: IncomingMessage & { originalUrl?: string },
    response: ServerResponse,
    next: () => void,
  ): void | Promise<void> {
    // Middleware sees `url` without the route's path (as in Express); `originalUrl` is as sent.
    const url = request.originalUrl ?? request.url;
    if (request.method !== 'GET' || !url) return next();
    const authorization = request.headers.authorization;
    if (authorization === undefined) return this.answer('public', url, request, response, next);
    return resolveViewer(this.verifier, authorization).then(
      (viewer) => this.answer(audienceOf(viewer), url, request, response, next),
      () => next(),
    );
  }

  private answer(
    audience: Audience,
    url: string,
    request: IncomingMessage,
    response: ServerResponse,
    next: () => void,
  ): void {
    const answer = this.answers.find(audience, url);
    if (!answer) return next();
    const caching = cachingHeaders(request.headers.authorization, response.getHeader('Vary'));
    response.setHeader('Cache-Control', caching['Cache-Control']);
    response.setHeader('Vary', caching.Vary);
    response.setHeader('ETag', answer.etag);
    if (known(request.headers['if-none-match'], answer.etag)) {
      response.statusCode = 304;
      response.end();
      return;
    }
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Content-Length', answer.body.length);
    response.end(answer.body);
  }
}
