import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationsErrorCode, NotificationsException } from '../errors/notifications.exception';
import { DeliverySender } from './delivery-sender.service';
import { Delivery, ERASED_RECIPIENT } from './delivery.entity';
import { DeliveryPageResponse } from './dto/delivery-page.response';
import { DeliveryResponse } from './dto/delivery.response';
import { ListDeliveriesQuery } from './dto/list-deliveries.query';

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  recipient: string;
  recipient_kind: string;
  template: string;
  language: string;
  status: string;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  created_at: Date;
  next_attempt_at: Date;
  sent_at: Date | null;
  created_key: string;
}

const PG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?$/;

/**
 * A timestamptz as Postgres writes it (created_at::text) for a moment that exists: the shape
 * alone let 2026-13-45 99:99:99+00 or 30 February through to the query, which Postgres refused
 * (a 500).
 */
function isPgTimestamp(text: string): boolean {
  const parts = PG_TIMESTAMP.exec(text);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  const [offsetHours, offsetMinutes] = [Number(parts[8]), Number(parts[9] ?? 0)];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 15 &&
    offsetMinutes <= 59
  );
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The coordinator's view of the delivery log, and the retry of a failed email. */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sender: DeliverySender,
  ) {}

  private get table(): string {
    return this.dataSource.getMetadata(Delivery).tablePath;
  }

  /** Newest first, keyset pages on (created_at, id). */
  async list(query: ListDeliveriesQuery): Promise<DeliveryPageResponse> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, value: unknown) => {
      params.push(value);
      where.push(condition.replace('?', `$${params.length}`));
    };
    if (query.recipient !== undefined) add('recipient = ?', query.recipient.toLowerCase());
    if (query.event !== undefined) {
      if (UUID.test(query.event)) add('event_id = ?::uuid', query.event);
      else add('event_type = ?', query.event);
    }
    if (query.status !== undefined) add('status = ?', query.status);
    if (query.template !== undefined) add('template = ?', query.template);
    if (query.cursor !== undefined) {
      const after = decodeCursor(query.cursor);
      params.push(after.createdAt, after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(query.limit + 1);
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT *, created_at::text AS created_key FROM ${this.table}
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC
       LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toResponse),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.created_key, last.id) : null,
    };
  }

  /** Gives a failed email a fresh set of tries; the sender picks it up at once. */
  async retry(id: string): Promise<DeliveryResponse> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [DeliveryRow[], number] = await this.dataSource.query(
      `UPDATE ${this.table}
       SET status = 'pending', attempts = 0, next_attempt_at = now()
       WHERE id = $1 AND status = 'failed' AND recipient NOT LIKE '${ERASED_RECIPIENT}%'
       RETURNING *, created_at::text AS created_key`,
      [id],
    );
    if (rows.length === 0) {
      const delivery = await this.dataSource.getRepository(Delivery).findOneBy({ id });
      if (!delivery) throw new NotificationsException(NotificationsErrorCode.DELIVERY_NOT_FOUND, `no delivery ${id}`);
      // Erasure took its address and the name it greets: there is no one to send it to.
      if (delivery.status === 'failed') {
        throw new NotificationsException(
          NotificationsErrorCode.DELIVERY_RECIPIENT_ERASED,
          `delivery ${id} cannot be sent again: its recipient's personal data was erased`,
        );
      }
      throw new NotificationsException(
        NotificationsErrorCode.DELIVERY_NOT_FAILED,
        `delivery ${id} has not failed: only a failed delivery can be retried`,
      );
    }
    this.sender.wake();
    return toResponse(rows[0]);
  }
}

function toResponse(row: DeliveryRow): DeliveryResponse {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    recipient: row.recipient,
    recipientKind: row.recipient_kind,
    template: row.template,
    language: row.language,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    messageId: row.message_id,
    createdAt: new Date(row.created_at).toISOString(),
    nextAttemptAt: row.status === 'pending' ? new Date(row.next_attempt_at).toISOString() : null,
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
  };
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && isPgTimestamp(createdAt) && typeof id === 'string' && UUID.test(id)) {
      return { createdAt, id };
    }
  } catch {
    // fall through
  }
  throw new NotificationsException(
    NotificationsErrorCode.INVALID_CURSOR,
    'cursor must be the nextCursor of a previous page',
    'cursor',
  );
}
