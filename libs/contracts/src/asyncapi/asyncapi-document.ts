import { EventEnvelopeSchema } from '../envelope';
import { EventContracts, EventType } from '../event-map';
import { Subscriptions } from '../subscriptions';
import { Topic, TopicKeys, TopicRetentionMs, Topics } from '../topics';
import { asJson, exampleEnvelope } from '../versions/schema-json';

type Json = Record<string, unknown>;

const KAFKA_BINDING = '0.5.0';

/** The channel id of a topic in the document: `membershipLifecycle` for Topics.MembershipLifecycle. */
function channelId(topic: Topic): string {
  const name = Object.entries(Topics).find(([, t]) => t === topic)![0];
  return name[0].toLowerCase() + name.slice(1);
}

const ref = (path: string) => ({ $ref: `#/${path}` });

/**
 * The AsyncAPI 3 document of the whole system, from the contracts alone: every topic with its key
 * and retention, every event with its schema (the envelope around its payload) and an example,
 * which service publishes it and which consumer groups receive it. `npm run contracts` writes it
 * to libs/contracts/asyncapi.json; every service serves it at /asyncapi.
 */
export function buildAsyncApiDocument(version: string): Json {
  const types = Object.keys(EventContracts) as EventType[];
  const topics = Object.values(Topics);

  const schemas: Json = { EventEnvelope: asJson(EventEnvelopeSchema) };
  const messages: Json = {};
  for (const type of types) {
    const contract = EventContracts[type];
    const payloadName = `${type}V${contract.schemaVersion}`;
    const payload = asJson(contract.payload) as Json;
    schemas[payloadName] = payload;
    messages[type] = {
      name: type,
      title: type,
      summary: payload.description,
      contentType: 'application/json',
      payload: {
        allOf: [
          ref('components/schemas/EventEnvelope'),
          {
            type: 'object',
            properties: {
              type: { const: type },
              schemaVersion: { const: contract.schemaVersion },
              producer: { const: contract.producer },
              payload: ref(`components/schemas/${payloadName}`),
            },
          },
        ],
      },
      bindings: {
        kafka: {
          key: { type: 'string', format: 'uuid', description: TopicKeys[contract.topic] },
          bindingVersion: KAFKA_BINDING,
        },
      },
      examples: ((payload.examples as unknown[] | undefined) ?? []).map((example) => ({
        name: `${type}Example`,
        payload: { ...exampleEnvelope(type, contract.schemaVersion, example), producer: contract.producer },
      })),
    };
  }

  const channels: Json = {};
  for (const topic of topics) {
    const onIt = types.filter((type) => EventContracts[type].topic === topic);
    channels[channelId(topic)] = {
      address: topic,
      title: topic,
      description: `Key: ${TopicKeys[topic]} Retention: ${TopicRetentionMs[topic] < 0 ? 'for ever (read models are rebuilt from it)' : `${TopicRetentionMs[topic] / 3_600_000} h`}.`,
      messages: Object.fromEntries(onIt.map((type) => [type, ref(`components/messages/${type}`)])),
      bindings: {
        kafka: {
          topic,
          topicConfiguration: { 'retention.ms': TopicRetentionMs[topic] },
          bindingVersion: KAFKA_BINDING,
        },
      },
    };
  }

  const operations: Json = {};
  for (const topic of topics) {
    const onIt = types.filter((type) => EventContracts[type].topic === topic);
    const producers = [...new Set(onIt.map((type) => EventContracts[type].producer))];
    for (const producer of producers) {
      operations[`${producer}Publishes${capital(channelId(topic))}`] = {
        action: 'send',
        title: `${producer} publishes on ${topic}`,
        summary: `Through its outbox: each state change and its event commit together.`,
        channel: ref(`channels/${channelId(topic)}`),
        messages: onIt
          .filter((type) => EventContracts[type].producer === producer)
          .map((type) => ref(`channels/${channelId(topic)}/messages/${type}`)),
      };
    }
  }
  for (const [name, subscription] of Object.entries(Subscriptions)) {
    for (const topic of subscription.topics) {
      const handled = subscription.handles.filter((type) => EventContracts[type].topic === topic);
      operations[`${name}Receives${capital(channelId(topic))}`] = {
        action: 'receive',
        title: `${subscription.service} (${subscription.consumer}) receives from ${topic}`,
        summary: subscription.description,
        description:
          'In batches, each applied in one transaction and idempotently per eventId; other event types on the topic ' +
          'are skipped, events that cannot be read go to the dead-letter topic ' +
          `valley.${subscription.service}.dead-letter.v1 with the reason in their headers.`,
        channel: ref(`channels/${channelId(topic)}`),
        messages: handled.map((type) => ref(`channels/${channelId(topic)}/messages/${type}`)),
        bindings: {
          kafka: { groupId: { type: 'string', enum: [subscription.consumer] }, bindingVersion: KAFKA_BINDING },
        },
      };
    }
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Valley events',
      version,
      description:
        'The events the services of Valley, the membership platform of an innovation cluster, exchange over Kafka. ' +
        'Every event travels in the same envelope; its payload follows the schema of its type and schemaVersion. ' +
        'Consumers validate both, and read older schemaVersions through upcasters.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The development broker (`npm run kafka -- start`); deployments set KAFKA_BROKERS.',
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}

function capital(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}
