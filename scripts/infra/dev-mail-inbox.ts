import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { SmtpSink } from '@valley/testing';

/**
 * The development SMTP sink of `npm start`: keeps every message in memory and as an .eml
 * file under .data/mail/, and lists them at http://127.0.0.1:<webPort>/ (JSON at /api/messages).
 */
export async function startDevMailInbox(smtpPort: number, webPort: number, folder: string) {
  mkdirSync(folder, { recursive: true });
  const sink = new SmtpSink();
  await sink.start(smtpPort);
  let saved = 0;
  const timer = setInterval(() => {
    for (; saved < sink.messages.length; saved++) {
      const email = sink.messages[saved];
      writeFileSync(join(folder, `${email.receivedAt.toISOString().replace(/[:.]/g, '-')}-${saved}.eml`), email.raw);
    }
  }, 500);
  const web: Server = createServer((req, res) => {
    const list = sink.messages.map(({ raw: _raw, ...email }, index) => ({ index, ...email }));
    if (req.url === '/api/messages') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list));
      return;
    }
    const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const rows = list
      .map(
        (m) =>
          `<tr><td>${m.receivedAt.toISOString()}</td><td>${escape(m.to.join(', '))}</td><td>${escape(m.subject)}</td></tr>`,
      )
      .reverse()
      .join('');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><meta charset="utf-8"><title>Valley dev inbox</title><h1>Dev inbox (${list.length})</h1><table border="1" cellpadding="4"><tr><th>received</th><th>to</th><th>subject</th></tr>${rows}</table>`,
      );
  });
  await new Promise<void>((resolve) => web.listen(webPort, '127.0.0.1', resolve));
  return {
    stop: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => web.close(() => resolve()));
      await sink.stop();
    },
  };
}
