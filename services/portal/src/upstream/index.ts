/** What other parts of the portal use of upstream/. */
export * from './service-apis';
export * from './upstream-client';
export * from './bearer-client';
