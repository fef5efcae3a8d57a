export { UnsubscribeModule } from './unsubscribe.module';
export { UNSUBSCRIBE_TOKEN_PATTERN, UnsubscribeTokens } from './unsubscribe-token';
export { Unsubscribe } from './unsubscribe.entity';
