import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerSession } from 'smtp-server';

export interface ReceivedEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  receivedAt: Date;
  raw: string;
}

/** Decides the answer to a message before it is kept: undefined accepts, an error refuses. */
export type SmtpResponder = (envelope: { to: string[] }) => { code: number; message: string } | undefined;

/**
 * A real SMTP server that keeps every message it accepts, for development (`npm start`)
 * and for tests, which can also make it refuse messages (4xx, 5xx) to exercise retries.
 */
export class SmtpSink {
  readonly messages: ReceivedEmail[] = [];
  private server: SMTPServer | null = null;
  private responder: SmtpResponder = () => undefined;
  private refusedRecipient: (address: string) => boolean = () => false;
  private listeners: (() => void)[] = [];
  /**
   * Errors of single client connections (a sender killed mid-session resets its socket). They end
   * that session only; without a listener the server's 'error' event would take the test down.
   */
  readonly connectionErrors: Error[] = [];

  /** Starts listening; port 0 picks a free port. Returns the port. */
  async start(port = 0, host = '127.0.0.1'): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      size: 10 * 1024 * 1024,
      onData: (stream, session, callback) => this.receive(stream, session, callback),
      onRcptTo: (address, _session, callback) =>
        this.refusedRecipient(address.address.toLowerCase())
          ? callback(
              Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), {
                responseCode: 550,
              }),
            )
          : callback(),
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error: Error) => this.connectionErrors.push(error));
    return this.port;
  }

  get port(): number {
    return ((this.server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Answers later messages with what the responder says (tests: 421, 550, ...). */
  respondWith(responder: SmtpResponder): void {
    this.responder = responder;
  }

  /** Refuses these recipients at RCPT TO with 550 5.1.1, as a relay does for a mailbox that does not exist. */
  refuseRecipients(refused: (address: string) => boolean): void {
    this.refusedRecipient = refused;
  }

  clear(): void {
    this.messages.length = 0;
  }

  /** Resolves with the first kept message that matches, waiting up to timeoutMs for it. */
  async waitFor(match: (email: ReceivedEmail) => boolean, timeoutMs = 20_000): Promise<ReceivedEmail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching email within ${timeoutMs} ms (${this.messages.length} received)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private receive(
    stream: NodeJS.ReadableStream,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address);
      const refusal = this.responder({ to });
      if (refusal) {
        callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      simpleParser(raw)
        .then((parsed: ParsedMail) => {
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            receivedAt: new Date(),
            raw,
          });
          const listeners = this.listeners;
          this.listeners = [];
          listeners.forEach((notify) => notify());
          callback();
        })
        .catch((error: Error) => callback(error));
    });
  }
}
