import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The bodies a Valley service reads: JSON, multipart uploads (the CSV import), and forms (the
 * unsubscribe page's button and mail clients' one-click unsubscribe, RFC 8058).
 */
const ACCEPTED = [/^application\/json\b/i, /^multipart\/form-data\b/i, /^application\/x-www-form-urlencoded\b/i];

/**
 * A request body of any other type is answered 415 before anything runs: otherwise it would go
 * unread and the request be handled as if it had no body (a note silently dropped).
 */
export function refuseUnreadableBodies(): (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void {
  return (request, response, next) => {
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    const type = request.headers['content-type'] ?? '';
    if (!hasBody || ACCEPTED.some((accepted) => accepted.test(type))) return next();
    response.statusCode = 415;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.end(
      JSON.stringify({
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `a body of type ${type || '(none given)'} is not read here: send application/json`,
      }),
    );
  };
}
