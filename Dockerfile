# One image for the whole monorepo: the four services, the portal, the ops commands (migrate, seed,
# token) and the DEV ONLY identity provider, all built to JavaScript; the application is chosen at
# run time by SERVICE (the build argument only sets its default).
#
#   docker build -t valley .
#   docker run --env-file ... -e SERVICE=membership valley            # or --build-arg SERVICE=membership
#   docker run --env-file ... valley node dist/tools/ops/migrate.js   # migrations (npm run migrate works too)
#
# SERVICE: membership | directory | notifications | reporting | portal. Without it, the image runs
# whatever command it is given (docker-compose.yml's `migrate` runs `npm run migrate && npm run seed`).
#
# Stage 1 installs every dependency and builds each application with its Nx target
# (`nx run-many -t build`: scripts/build/build-app.ts, TypeScript → dist/). Stage 2 installs the
# production dependencies only, takes dist/ and runs as the unprivileged `node` user.

# ---------------------------------------------------------------- build
FROM node:20-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN SCARF_ANALYTICS=false npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --parallel=2 --skip-nx-cache

# ---------------------------------------------------------------- run
FROM node:20-bookworm-slim AS run
WORKDIR /app
RUN chown node:node /app
USER node

# Production dependencies only: the build refuses code that requires anything else. Then
# `npm run migrate`, `seed` and `token` run the built commands here (on a developer's machine: the sources).
COPY --chown=node:node package.json package-lock.json ./
RUN SCARF_ANALYTICS=false npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force \
 && npm pkg set scripts.migrate="node dist/tools/ops/migrate.js" scripts.seed="node dist/tools/ops/seed.js" \
      scripts.token="node dist/tools/ops/token.js"

COPY --chown=node:node --from=build /build/dist ./dist
# The DEV ONLY OpenID Connect provider (docker-compose.yml's dev-identity-provider): plain ES modules.
COPY --chown=node:node tools/dev-identity-provider ./tools/dev-identity-provider

ARG SERVICE=
# NODE_OPTIONS: a young generation of 8 MB semi-spaces (Node 20's default: 16 MB) keeps an idle
# service ~13 MB smaller at no measured cost to its start (scripts/bench/startup.bench.ts uses the same).
ENV SERVICE=${SERVICE} \
    NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=8

EXPOSE 3000 3001 3002 3003 3004

# Liveness: the process serves HTTP (readiness, /health, is for the orchestrator to ask). PORT is
# each application's own; node, as the slim image has no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# exec: node replaces the shell and gets the stop signal (compose also sets `init: true`).
CMD ["sh", "-c", "exec node \"dist/services/${SERVICE:?set SERVICE to membership, directory, notifications, reporting or portal}/main.js\""]
