/** The delivery statuses of notifications' log (its OpenAPI enum). */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;

/** Cursors kept in the URL for "previous"; a deeper trail forgets its oldest pages. */
export const MAX_TRAIL = 50;
/** Rows a page. */
export const PAGE_SIZE = 25;

/** The delivery log page's URL: filters, and `p`, the trail of the API's `nextCursor`s (joined by `.`). */
export interface DeliveryLogQuery {
  status: string;
  template: string;
  recipient: string;
  trail: string[];
}

const single = (value: unknown): string => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
};

/**
 * The page's query as the reader sent it. An unknown status or template is dropped (the filter
 * shows "all"); the recipient is kept as typed (notifications says when it is no address); cursors
 * are the API's opaque shape (base64url), at most MAX_TRAIL.
 */
export function readDeliveryLogQuery(query: Record<string, unknown>, templates: readonly string[]): DeliveryLogQuery {
  const status = single(query.status);
  const template = single(query.template);
  return {
    status: (DELIVERY_STATUSES as readonly string[]).includes(status) ? status : '',
    template: templates.includes(template) ? template : '',
    recipient: single(query.recipient).slice(0, 320),
    trail: single(query.p)
      .split('.')
      .filter((c) => /^[A-Za-z0-9_-]{1,200}$/.test(c))
      .slice(-MAX_TRAIL),
  };
}

/** notifications' `GET /deliveries` query for this page. */
export function deliveriesApiQuery(q: DeliveryLogQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (q.status) params.set('status', q.status);
  if (q.template) params.set('template', q.template);
  if (q.recipient) params.set('recipient', q.recipient);
  params.set('limit', String(PAGE_SIZE));
  const cursor = q.trail[q.trail.length - 1];
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** This page's URL for a query (`/console/emails?…`). */
export function deliveryLogUrl(q: DeliveryLogQuery): string {
  const params = new URLSearchParams();
  if (q.status) params.set('status', q.status);
  if (q.template) params.set('template', q.template);
  if (q.recipient) params.set('recipient', q.recipient);
  if (q.trail.length > 0) params.set('p', q.trail.join('.'));
  const text = params.toString();
  return text ? `/console/emails?${text}` : '/console/emails';
}

/** The next page (its cursor added to the trail) and the previous one (the last dropped), or null. */
export function deliveryLogPages(
  q: DeliveryLogQuery,
  nextCursor: string | null,
): { next: string | null; previous: string | null } {
  return {
    next: nextCursor ? deliveryLogUrl({ ...q, trail: [...q.trail, nextCursor].slice(-MAX_TRAIL) }) : null,
    previous: q.trail.length > 0 ? deliveryLogUrl({ ...q, trail: q.trail.slice(0, -1) }) : null,
  };
}

/** Where a retry goes back to: a delivery log URL of this site, else the log's first page. */
export function deliveryLogBack(value: unknown): string {
  return typeof value === 'string' && /^\/console\/emails(\?[^\s#]*)?$/.test(value) ? value : '/console/emails';
}
