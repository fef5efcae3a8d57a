// Validates Kubernetes objects against the Kubernetes OpenAPI schemas, offline (kubernetes-models,
// an ES module package: test/deploy/kubernetes.spec.ts runs this file in its own node process).
// stdin: a JSON array of objects. stdout: a JSON array, per object, { ok: true } | { error } |
// { skipped: "no schema for <apiVersion> <kind>" } (custom resources: the spec checks those itself).
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const object of objects) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [null, object.apiVersion];
  const path = group
    ? `kubernetes-models/${group}/${version}/${object.kind}`
    : `kubernetes-models/${version}/${object.kind}`;
  let Model;
  try {
    Model = (await import(path))[object.kind];
  } catch {
    results.push({ skipped: `no schema for ${object.apiVersion} ${object.kind}` });
    continue;
  }
  try {
    new Model(object).validate();
    results.push({ ok: true });
  } catch (error) {
    results.push({ error: String(error instanceof Error ? error.message : error) });
  }
}
process.stdout.write(JSON.stringify(results));
