/** A readable HTML page of an AsyncAPI 3 document: topics, who publishes and receives, each event's fields. */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON document walked by path

const escape = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function resolve(document: Json, value: Json | undefined): Json | undefined {
  if (!value || typeof value.$ref !== 'string') return value;
  return (value.$ref as string)
    .slice(2)
    .split('/')
    .reduce<Json | undefined>((node, key) => node?.[key], document);
}

function typeOf(schema: Json): string {
  if (schema.anyOf) return (schema.anyOf as Json[]).map(typeOf).join(' or ');
  if (schema.enum) return `one of ${(schema.enum as string[]).join(', ')}`;
  if (schema.type === 'array') return `list of ${typeOf(schema.items ?? {})}`;
  const limits = [
    schema.format,
    schema.pattern && `pattern ${schema.pattern}`,
    schema.minLength === 1 && 'not empty',
    schema.maxLength && `at most ${schema.maxLength} characters`,
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.minItems && `at least ${schema.minItems}`,
  ].filter(Boolean);
  return `${schema.type ?? 'any'}${limits.length ? ` (${limits.join(', ')})` : ''}`;
}

function fields(schema: Json, prefix = ''): string {
  const required = new Set<string>(schema.required ?? []);
  return Object.entries((schema.properties ?? {}) as Record<string, Json>)
    .map(([name, field]) => {
      const row =
        `<tr><td><code>${escape(prefix + name)}</code></td><td>${escape(typeOf(field))}</td>` +
        `<td>${required.has(name) ? 'yes' : 'no'}</td><td>${escape(field.description)}</td></tr>`;
      return field.type === 'object' ? row + fields(field, `${prefix}${name}.`) : row;
    })
    .join('');
}

export function renderAsyncApiPage(document: Json): string {
  const operations = Object.values((document.operations ?? {}) as Record<string, Json>);
  const channels = Object.entries((document.channels ?? {}) as Record<string, Json>)
    .map(([id, channel]) => {
      const rows = Object.keys(channel.messages ?? {})
        .map((name) => {
          const message = resolve(document, channel.messages[name]) ?? {};
          const sameMessage = (o: Json) =>
            o.channel.$ref === `#/channels/${id}` && (o.messages as Json[]).some((m) => m.$ref.endsWith(`/${name}`));
          const by = (action: string) =>
            operations
              .filter((o) => o.action === action && sameMessage(o))
              .map((o) => escape(String(o.title).replace(/ (publishes on|receives from) .*$/, '')))
              .join('<br>');
          return (
            `<tr><td><a href="#${escape(name)}">${escape(name)}</a></td><td>${escape(message.summary)}</td>` +
            `<td>${by('send')}</td><td>${by('receive')}</td></tr>`
          );
        })
        .join('');
      return (
        `<section><h2><code>${escape(channel.address)}</code></h2><p>${escape(channel.description)}</p>` +
        `<table><thead><tr><th>Event</th><th>What happened</th><th>Published by</th><th>Received by</th></tr></thead><tbody>${rows}</tbody></table></section>`
      );
    })
    .join('');
  const messages = Object.entries((document.components?.messages ?? {}) as Record<string, Json>)
    .map(([name, message]) => {
      const parts = (message.payload?.allOf ?? []) as Json[];
      const payload = resolve(document, parts[1]?.properties?.payload) ?? {};
      const example = message.examples?.[0]?.payload;
      return (
        `<section id="${escape(name)}"><h3>${escape(name)}</h3><p>${escape(message.summary)}</p>` +
        `<p>Key: ${escape(message.bindings?.kafka?.key?.description)}</p>` +
        `<table><thead><tr><th>Payload field</th><th>Type</th><th>Required</th><th>About</th></tr></thead>` +
        `<tbody>${fields(payload)}</tbody></table>` +
        (example
          ? `<details><summary>Example</summary><pre>${escape(JSON.stringify(example, null, 2))}</pre></details>`
          : '') +
        `</section>`
      );
    })
    .join('');
  const envelope = (document.components?.schemas?.EventEnvelope ?? {}) as Json;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info?.title)} ${escape(document.info?.version)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:70rem;margin:0 auto;padding:1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f5}code,pre{font-family:ui-monospace,monospace}pre{background:#f4f4f4;padding:.5rem;overflow:auto}
a{color:#0b5394}</style></head>
<body><header><h1>${escape(document.info?.title)} <small>${escape(document.info?.version)}</small></h1>
<p>${escape(document.info?.description)}</p><p>AsyncAPI ${escape(document.asyncapi)}: <a href="asyncapi">the document as JSON</a>.</p></header>
<main><h2>Topics</h2>${channels}
<h2>The envelope</h2><table><thead><tr><th>Field</th><th>Type</th><th>Required</th><th>About</th></tr></thead><tbody>${fields(envelope)}</tbody></table>
<h2>Events</h2>${messages}</main></body></html>
`;
}
