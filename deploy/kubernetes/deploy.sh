#!/usr/bin/env bash
# Deploys an overlay: the migration Jobs first (each service's schema ready for the new version),
# then everything else, then waits for the rollouts.
#
#   deploy/kubernetes/deploy.sh production        # or development
#
# Needs kubectl on the cluster's context, the Strimzi operator installed, and the Secrets
# (deploy/README.md, "Kubernetes"). Argo CD users need not run it: the Jobs are PreSync hooks.
set -euo pipefail

overlay="${1:?usage: deploy.sh development|production}"
dir="$(cd "$(dirname "$0")" && pwd)/overlays/${overlay}"
[ -d "$dir" ] || { echo "no overlay ${overlay} in $(dirname "$dir")" >&2; exit 64; }
manifests="$(mktemp)"
trap 'rm -f "$manifests"' EXIT
kubectl kustomize "$dir" > "$manifests"
namespace="$(awk '/^  namespace: /{print $2; exit}' "$manifests")"

# The namespace, the configuration and Kafka first: the Jobs need the first two, the services all three.
kubectl apply -f "$manifests" -l 'app.kubernetes.io/component!=migration,app.kubernetes.io/component!=server'

# A Job cannot be changed: the previous version's go first.
kubectl -n "$namespace" delete job -l app.kubernetes.io/component=migration --ignore-not-found --wait=true
kubectl apply -f "$manifests" -l app.kubernetes.io/component=migration
kubectl -n "$namespace" wait --for=condition=complete job -l app.kubernetes.io/component=migration --timeout=15m

# The new version of every application, once its schema is migrated.
kubectl apply -f "$manifests"
for deployment in membership directory notifications reporting portal; do
  kubectl -n "$namespace" rollout status "deployment/${deployment}" --timeout=10m
done
