export { MailModule } from './mail.module';
export { classifyMailError, MAIL_CONNECTIONS, Mailer, PermanentMailError, RelayUnavailableError } from './mailer';
export type { OutgoingEmail } from './mailer';
export { SendRateLimiter } from './send-rate-limiter';
