import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DirectoryConfig } from '../directory.config';
import { DirectoryErrorCode, DirectoryException } from '../errors/directory.exception';
import { CreateWebhookDto, WebhookDeliveryResponse, WebhookResponse } from './dto/webhook.dto';
import { WebhookDispatcher } from './webhook-dispatcher';
import { enqueueReplay } from './webhook-feed';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEvent } from './webhook-event.entity';
import { WebhookSubscription } from './webhook-subscription.entity';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The coordinator's side of webhooks: subscriptions, their delivery logs, retries and replays. */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: DirectoryConfig,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async create(dto: CreateWebhookDto): Promise<WebhookResponse> {
    this.checkUrl(dto.url);
    const subscription = await this.dataSource.getRepository(WebhookSubscription).save({
      id: randomUUID(),
      url: dto.url,
      eventTypes: dto.eventTypes,
      secret: dto.secret,
      description: dto.description ?? null,
      status: 'active',
      consecutiveFailures: 0,
      pausedReason: null,
      pausedAt: null,
      createdAt: new Date(),
    });
    return toView(subscription);
  }

  async list(): Promise<WebhookResponse[]> {
    const all = await this.dataSource.getRepository(WebhookSubscription).find({ order: { createdAt: 'ASC' } });
    return all.map(toView);
  }

  async get(id: string): Promise<WebhookResponse> {
    return toView(await this.find(id));
  }

  /** Deletes the subscription and its delivery log: nothing more goes out to it. */
  async delete(id: string): Promise<void> {
    const result = await this.dataSource.getRepository(WebhookSubscription).delete({ id });
    if (!result.affected) throw notFound(id);
  }

  async resume(id: string): Promise<WebhookResponse> {
    await this.find(id);
    await this.dataSource
      .getRepository(WebhookSubscription)
      .update({ id }, { status: 'active', consecutiveFailures: 0, pausedReason: null, pausedAt: null });
    this.dispatcher.wake();
    return this.get(id);
  }

  async deliveries(id: string, limit = 200): Promise<WebhookDeliveryResponse[]> {
    await this.find(id);
    return (await this.deliveryRows('d.subscription_id = $1', [id], limit)).map(toDeliveryView);
  }

  /** A failed delivery gets a fresh set of tries. */
  async retry(id: string, deliveryId: string): Promise<WebhookDeliveryResponse> {
    await this.find(id);
    const repository = this.dataSource.getRepository(WebhookDelivery);
    const delivery = await repository.findOneBy({ id: deliveryId, subscriptionId: id });
    if (!delivery) {
      throw new DirectoryException(DirectoryErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, `no delivery ${deliveryId} of ${id}`);
    }
    const reset = await repository.update(
      { id: deliveryId, status: 'failed' },
      { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lastError: null, lastStatusCode: null },
    );
    if (!reset.affected) {
      throw new DirectoryException(
        DirectoryErrorCode.WEBHOOK_DELIVERY_NOT_FAILED,
        `delivery ${deliveryId} has not failed`,
      );
    }
    this.dispatcher.wake();
    const [row] = await this.deliveryRows('d.id = $1', [deliveryId], 1);
    return toDeliveryView(row);
  }

  /** Every event since the moment, of the types it asked for, goes out again (or for the first time). */
  async replay(id: string, since: Date): Promise<number> {
    const subscription = await this.find(id);
    if (subscription.status !== 'active') return 0;
    const queued = await this.dataSource.transaction((manager) => enqueueReplay(manager, id, since));
    this.dispatcher.wake();
    return queued;
  }

  private checkUrl(url: string): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DirectoryException(DirectoryErrorCode.INVALID_WEBHOOK_URL, 'url must be an absolute URL', 'url');
    }
    const allowed = this.config.WEBHOOK_ALLOW_HTTP ? ['https:', 'http:'] : ['https:'];
    if (!allowed.includes(parsed.protocol) || parsed.username || parsed.password) {
      throw new DirectoryException(
        DirectoryErrorCode.INVALID_WEBHOOK_URL,
        `url must be an ${allowed.map((p) => p.slice(0, -1)).join(' or ')} URL without credentials`,
        'url',
      );
    }
  }

  private async find(id: string): Promise<WebhookSubscription> {
    const found = await this.dataSource.getRepository(WebhookSubscription).findOneBy({ id });
    if (!found) throw notFound(id);
    return found;
  }

  private deliveryRows(where: string, params: unknown[], limit: number): Promise<Record<string, unknown>[]> {
    const deliveries = this.dataSource.getMetadata(WebhookDelivery).tablePath;
    const events = this.dataSource.getMetadata(WebhookEvent).tablePath;
    return this.dataSource.query(
      `SELECT d.*, e.type, e.member_id, e.occurred_at FROM ${deliveries} d JOIN ${events} e ON e.event_id = d.event_id
       WHERE ${where} ORDER BY d.created_at DESC, e.occurred_at DESC LIMIT ${Number(limit)}`,
      params,
    );
  }
}

function notFound(id: string): DirectoryException {
  return new DirectoryException(DirectoryErrorCode.WEBHOOK_NOT_FOUND, `no webhook subscription ${id}`);
}

function toView(s: WebhookSubscription): WebhookResponse {
  return {
    id: s.id,
    url: s.url,
    eventTypes: s.eventTypes,
    description: s.description,
    status: s.status,
    consecutiveFailures: s.consecutiveFailures,
    pausedReason: s.pausedReason,
    pausedAt: iso(s.pausedAt),
    createdAt: s.createdAt.toISOString(),
  };
}

function toDeliveryView(r: Record<string, unknown>): WebhookDeliveryResponse {
  const status = r.status as string;
  return {
    id: r.id as string,
    eventId: r.event_id as string,
    type: r.type as string,
    memberId: r.member_id as string,
    status,
    attempts: r.attempts as number,
    lastStatusCode: (r.last_status_code as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    occurredAt: (r.occurred_at as Date).toISOString(),
    createdAt: (r.created_at as Date).toISOString(),
    nextAttemptAt: status === 'pending' ? (r.next_attempt_at as Date).toISOString() : null,
    deliveredAt: iso(r.delivered_at as Date | null),
  };
}
