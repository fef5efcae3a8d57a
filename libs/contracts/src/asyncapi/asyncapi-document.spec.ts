import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemas } from '@asyncapi/specs';
import Ajv from 'ajv';
import { EventContracts, EventType } from '../event-map';
import { Subscriptions } from '../subscriptions';
import { Topics } from '../topics';
import { buildAsyncApiDocument } from './asyncapi-document';

const committedPath = join(__dirname, '../../asyncapi.json');
const committed = JSON.parse(readFileSync(committedPath, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON document walked by path
const version = (JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as { version: string })
  .version;

describe('the AsyncAPI document (libs/contracts/asyncapi.json)', () => {
  it('is up to date with the contracts: run `npm run contracts` when this fails', () => {
    expect(committed).toEqual(buildAsyncApiDocument(version));
  });

  it('is a valid AsyncAPI 3.0.0 document', () => {
    // The specification embeds its own draft-07 meta-schema: ajv's would resolve the same $id twice.
    const ajv = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false, validateFormats: false });
    const validate = ajv.compile(schemas['3.0.0']);
    expect(validate(committed) ? [] : validate.errors).toEqual([]);
    // and it does judge: AsyncAPI 2's "publish" is no action of version 3
    const operations = { ...committed.operations, wrong: { action: 'publish', channel: { $ref: '#/channels/x' } } };
    expect(validate({ ...committed, operations })).toBe(false);
  });

  it('has every topic with its address, and every event on its topic with its schema and an example', () => {
    expect(
      Object.values(committed.channels as Record<string, { address: string }>)
        .map((c) => c.address)
        .sort(),
    ).toEqual(Object.values(Topics).sort());
    for (const type of Object.keys(EventContracts) as EventType[]) {
      const message = committed.components.messages[type];
      expect(message.payload.allOf[1].properties.payload).toEqual({
        $ref: `#/components/schemas/${type}V${EventContracts[type].schemaVersion}`,
      });
      expect(message.examples.length).toBeGreaterThan(0);
      const channel = Object.values(committed.channels).find(
        (c) => (c as { address: string }).address === EventContracts[type].topic,
      ) as { messages: Record<string, unknown> };
      expect(Object.keys(channel.messages)).toContain(type);
    }
  });

  it('says who publishes each event and which consumer groups receive it', () => {
    const operations = Object.values(committed.operations) as {
      action: string;
      channel: { $ref: string };
      messages: { $ref: string }[];
      bindings?: { kafka: { groupId: { enum: string[] } } };
    }[];
    const sent = operations
      .filter((o) => o.action === 'send')
      .flatMap((o) => o.messages.map((m) => m.$ref.split('/').pop()));
    expect(sent.sort()).toEqual(Object.keys(EventContracts).sort());
    for (const subscription of Object.values(Subscriptions)) {
      const received = operations
        .filter((o) => o.action === 'receive' && o.bindings?.kafka.groupId.enum[0] === subscription.consumer)
        .flatMap((o) => o.messages.map((m) => m.$ref.split('/').pop()));
      expect(received.sort()).toEqual([...subscription.handles].sort());
    }
  });
});
