export * from './topics';
export * from './envelope';
export * from './event-map';
export * from './typed-event';
export * from './membership/vocabulary';
export * from './events/organisation-profile';
export * from './events/application-submitted.event';
export * from './events/member-admitted.event';
