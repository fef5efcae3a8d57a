/** What other parts of the portal use of http/. */
export * from './cookies';
export * from './csrf';
export * from './request-context';
