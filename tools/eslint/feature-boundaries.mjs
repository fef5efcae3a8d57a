// ESLint rule: a feature folder of a service (services/<service>/src/<feature>/) reaches another
// feature only through its front door, that feature's index.ts (or its <feature>.module.ts, for
// the Nest module itself). Top-level files of src/ and the shared folders (database/, errors/,
// common/) are open to all. See the root README, "Service layout".
import path from 'node:path';

const SHARED = new Set(['database', 'errors', 'common']);

function check(context, node, source) {
  if (typeof source !== 'string' || !source.startsWith('.')) return;
  const filename = context.filename;
  const match = filename.match(/^(.*\/services\/[^/]+\/src\/)([^/]+)\//);
  if (!match) return;
  const [, srcRoot, feature] = match;
  const target = path.resolve(path.dirname(filename), source);
  if (!target.startsWith(srcRoot)) return;
  const parts = target.slice(srcRoot.length).split('/');
  const other = parts[0];
  if (parts.length < 2 || other === feature || SHARED.has(other)) return;
  const rest = parts.slice(1).join('/');
  if (rest === 'index' || rest === `${other}.module`) return;
  // The database folder lists every feature's tables.
  if (feature === 'database' && rest.endsWith('.entity')) return;
  context.report({ node, messageId: 'internal', data: { feature, other, file: rest } });
}

export default {
  rules: {
    'feature-boundaries': {
      meta: {
        type: 'problem',
        schema: [],
        messages: {
          internal:
            "{{feature}}/ reaches into {{other}}/{{file}}: import what {{other}}/ offers from its front door, '{{other}}/index.ts' (or move the shared piece to common/ or libs/)",
        },
      },
      create(context) {
        const source = (node) => check(context, node, node.source?.value);
        return {
          ImportDeclaration: source,
          ExportNamedDeclaration: source,
          ExportAllDeclaration: source,
          ImportExpression: source,
        };
      },
    },
  },
};
