import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DirectoryConfig } from '../directory.config';
import { MemberIndex } from '../search/member-index';
import { SearchMetrics } from '../search/search-metrics';

/** A public answer as it goes on the wire: JSON bytes and their ETag. */
export interface SerializedAnswer {
  body: Buffer;
  etag: string;
}

/**
 * Search answers, serialized once, per index snapshot. Never stale: the first lookup after the
 * index changed empties it. Bounded: beyond SEARCH_CACHE_ENTRIES the least recently used goes
 * (0: nothing is kept, every answer is computed).
 */
@Injectable()
export class AnswerCache {
  private readonly answers = new Map<string, SerializedAnswer>();
  private version = -1;
  private readonly capacity: number;

  constructor(
    private readonly index: MemberIndex,
    private readonly metrics: SearchMetrics,
    config: DirectoryConfig,
  ) {
    this.capacity = config.SEARCH_CACHE_ENTRIES;
  }

  get(key: string, compute: () => object): SerializedAnswer {
    if (this.version !== this.index.version) {
      this.answers.clear();
      this.version = this.index.version;
    }
    const cached = this.answers.get(key);
    if (cached) {
      this.metrics.answers.inc({ source: 'cache' });
      this.answers.delete(key);
      this.answers.set(key, cached);
      return cached;
    }
    const answer = serialize(compute());
    this.metrics.answers.inc({ source: 'index' });
    if (this.capacity > 0) {
      this.answers.set(key, answer);
      if (this.answers.size > this.capacity) this.answers.delete(this.answers.keys().next().value!);
    }
    return answer;
  }
}

export function serialize(value: object): SerializedAnswer {
  const body = Buffer.from(JSON.stringify(value));
  return { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` };
}

/** Sends an answer with its ETag, or 304 without a body when the client already has it. */
export function sendAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: SerializedAnswer,
  cacheControl: string,
): void {
  reply.header('Cache-Control', cacheControl).header('ETag', answer.etag);
  const known = request.headers['if-none-match'];
  if (known && known.split(',').some((tag) => tag.trim() === answer.etag || tag.trim() === '*')) {
    void reply.code(304).send();
    return;
  }
  void reply.type('application/json; charset=utf-8').send(answer.body);
}
