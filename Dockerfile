# One image for the whole monorepo: every service, plus the migrate/seed/token scripts.
# Services run from their TypeScript sources through ts-node (transpile only), as `npm start` does.
#
#   docker build --build-arg SERVICE=membership -t valley-membership .
#   docker run --env-file ... valley-membership
#
# SERVICE (membership | directory | notifications | reporting | portal) picks the service the default
# command starts; it can also be set at run time (-e SERVICE=...). Without it, the image runs
# whatever command it is given (docker-compose.yml's `migrate` runs `npm run migrate`).
FROM node:20-bookworm-slim

WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first, so that editing sources does not reinstall them. Dev dependencies are
# needed at run time: ts-node and tsconfig-paths run the sources (scripts/register.js).
COPY --chown=node:node package.json package-lock.json ./
RUN SCARF_ANALYTICS=false npm ci --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .

ARG SERVICE=
ENV SERVICE=${SERVICE} \
    NODE_ENV=production

EXPOSE 3000 3001 3002 3003 3004

# exec: node replaces the shell and gets the stop signal (compose also sets `init: true`).
CMD ["sh", "-c", "exec node -r ./scripts/register.js \"services/${SERVICE:?set SERVICE to membership, directory, notifications, reporting or portal}/src/main.ts\""]
