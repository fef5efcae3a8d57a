/** What other parts of the portal use of i18n/. */
export * from './format';
export * from './locale';
export * from './messages';
