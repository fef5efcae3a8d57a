export * from './smtp/smtp-sink';
export * from './kafka/kafka-test-client';
