import { simpleParser } from 'mailparser';

/** One recipient of a delivery status notification (RFC 3464 §2.3) that failed for good. */
export interface FailedRecipient {
  /** Lower-cased, from Final-Recipient (or Original-Recipient). */
  address: string;
  /** The enhanced status code (RFC 3463), e.g. 5.1.1. */
  statusCode: string;
  /** Diagnostic-Code when given, else the status code. */
  reason: string;
}

export interface DeliveryStatusReport {
  /** Our Message-ID of the message that bounced, when the report quotes it (`<delivery id@valley>`). */
  originalMessageId: string | null;
  /** Recipients with Action: failed and a 5.x.x status; delayed, delivered, relayed and 4.x.x ones are not bounces. */
  failed: FailedRecipient[];
}

const DELIVERY_STATUS_TYPES = ['message/delivery-status', 'message/global-delivery-status'];

/**
 * Reads a bounce report: a multipart/report (RFC 6522) whose message/delivery-status part holds
 * per-message fields, then a group of fields per recipient. Null when the message is no such report
 * (an auto-reply, spam sent to the bounce address).
 */
export async function parseDeliveryStatusReport(raw: Buffer | string): Promise<DeliveryStatusReport | null> {
  const mail = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextToHtml: true });
  const part = mail.attachments.find((a) => DELIVERY_STATUS_TYPES.includes(a.contentType.toLowerCase()));
  if (!part) return null;
  const [, ...recipientGroups] = fieldGroups(part.content.toString('utf8'));
  const failed: FailedRecipient[] = [];
  for (const fields of recipientGroups) {
    const action = fields.get('action')?.toLowerCase();
    const statusCode = /^\s*(\d\.\d{1,3}\.\d{1,3})/.exec(fields.get('status') ?? '')?.[1];
    const address = addressOf(fields.get('final-recipient') ?? fields.get('original-recipient'));
    if (action !== 'failed' || !statusCode?.startsWith('5') || !address) continue;
    failed.push({
      address,
      statusCode,
      reason: fields.get('diagnostic-code')?.replace(/^[^;]*;\s*/, '') || statusCode,
    });
  }
  return { originalMessageId: originalMessageId(mail.attachments), failed };
}

/** The groups of `Name: value` fields, separated by blank lines; folded lines unfolded; names lower-cased. */
function fieldGroups(text: string): Map<string, string>[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((group) => {
      const fields = new Map<string, string>();
      for (const line of group.replace(/\n[ \t]+/g, ' ').split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);
}

/** `rfc822; Ona@Example.lt` → `ona@example.lt`; other address types (x400, utf-8 with encodings) as written. */
function addressOf(field: string | undefined): string | null {
  if (!field) return null;
  const value = field.includes(';') ? field.slice(field.indexOf(';') + 1) : field;
  const address = value.trim().replace(/^<|>$/g, '').toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
}

/** The Message-ID of the returned message or its headers (message/rfc822 or text/rfc822-headers part). */
function originalMessageId(attachments: { contentType: string; content: Buffer }[]): string | null {
  for (const a of attachments) {
    const type = a.contentType.toLowerCase();
    if (type !== 'message/rfc822' && type !== 'text/rfc822-headers' && type !== 'message/global') continue;
    const id = /^message-id:\s*(<[^>]+>)/im.exec(a.content.toString('utf8'))?.[1];
    if (id) return id;
  }
  return null;
}
