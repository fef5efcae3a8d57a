export * from './smtp/smtp-sink';
