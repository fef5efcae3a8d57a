import document from '../../asyncapi.json';

/** The committed AsyncAPI document (libs/contracts/asyncapi.json, written by `npm run contracts`). */
export const AsyncApiDocument: Readonly<Record<string, unknown>> = document;
