/** What other parts of the portal use of views/. */
export * from './view-renderer';
