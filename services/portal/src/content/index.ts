/** What other parts of the portal use of content/. */
export * from './cluster-content';
