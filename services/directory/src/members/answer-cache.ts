import { createHash } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, NestMiddleware } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { DirectoryConfig } from '../directory.config';
import { MemberIndex } from '../search/member-index';
import { SearchMetrics } from '../search/search-metrics';

/** A public answer as it goes on the wire: JSON bytes and their ETag. */
export interface SerializedAnswer {
  body: Buffer;
  etag: string;
}

/**
 * Search answers, serialized once, per index snapshot, by request URL (path and query string as
 * sent: the same URL is the same validated query). Never stale: it empties when the index
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

  /** The answer kept for this URL, if any. */
  find(url: string): SerializedAnswer | undefined {
    const cached = this.current()?.get(url);
    if (cached) this.metrics.answers.inc({ source: 'cache' });
    return cached;
  }

  /** Serializes an answer the index computed just now, and keeps it if its URL was asked before. */
  keep(url: string, json: string): SerializedAnswer {
    const answer = serialize(json);
    this.metrics.answers.inc({ source: 'index' });
    const answers = this.current();
    if (answers && this.askedBefore) {
      if (this.askedBefore.get(url)) answers.set(url, answer);
      else this.askedBefore.set(url, true);
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

/** JSON text as it goes on the wire, with its ETag. */
export function serialize(json: string): SerializedAnswer {
  const body = Buffer.from(json);
  return { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` };
}

/** Public answers may be cached for seconds (a withdrawn consent must show soon); ETags make revalidation cheap. */
export const CACHE_CONTROL = 'public, max-age=5';

/** Whether the client already has this answer (If-None-Match names its ETag). */
function known(ifNoneMatch: string | undefined, etag: string): boolean {
  return !!ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
}

/** Sends an answer with its ETag, or 304 without a body when the client already has it. */
export function sendAnswer(request: FastifyRequest, reply: FastifyReply, answer: SerializedAnswer): void {
  reply.header('Cache-Control', CACHE_CONTROL).header('ETag', answer.etag);
  if (known(request.headers['if-none-match'], answer.etag)) {
    void reply.code(304).send();
    return;
  }
  void reply.type('application/json; charset=utf-8').send(answer.body);
}

/**
 * Answers a search whose URL is in the AnswerCache before validation (a kept URL passed it when
 * it was first asked); any other request goes on to its handler.
 */
@Injectable()
export class CachedAnswerMiddleware implements NestMiddleware {
  constructor(private readonly answers: AnswerCache) {}

  use(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void): void {
    // Middleware sees `url` without the route's path (as in Express); `originalUrl` is as sent.
    const url = request.originalUrl ?? request.url;
    const answer = request.method === 'GET' && url ? this.answers.find(url) : undefined;
    if (!answer) return next();
    response.setHeader('Cache-Control', CACHE_CONTROL);
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
