# syntax=docker/dockerfile:1
#
# One image for every flunq-io Node service (worker, executor, the CLI): the whole
# workspace with its dependencies, run from TypeScript source through tsx, exactly as
# `npm start` does on a host. Each compose service picks its entry file as `command`.
#
#   docker build -t flunq .
#   docker run --rm flunq apps/executor/src/main.ts
#
# NOTE: the development machines and CI of this project have a Docker client but no
# engine, so this file has never been built there. It is checked offline only
# (tools/compose-check: paths exist, compose file valid); build it once on a machine
# with Docker before relying on it.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- every package.json of the workspace, so that `npm ci` is cached until one changes ---
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
  && find . -name package.json -not -path '*/node_modules/*' -print0 | xargs -0 cp --parents -t /manifests

# --- dependencies, with the toolchain for the native zstd-napi module ---
FROM ${NODE_IMAGE} AS deps
# The npm the lockfile and package.json "allowScripts" were written for (npm 11).
ARG NPM_VERSION=11.19.1
RUN apt-get update \
  && apt-get install -y --no-install-recommends g++ make python3 \
  && rm -rf /var/lib/apt/lists/* \
  && npm install -g "npm@${NPM_VERSION}" --no-audit --no-fund
WORKDIR /app
COPY --from=manifests /manifests/ ./
COPY package-lock.json ./
# Dev dependencies included: tsx runs the services from source.
RUN npm ci --no-audit --no-fund

# --- runtime: no compiler, the built node_modules and the sources ---
FROM ${NODE_IMAGE} AS runtime
ENV NX_DAEMON=false NX_NO_CLOUD=true
WORKDIR /app
# All of /app: the root node_modules and the ones npm nests in workspaces (libs/dsl/node_modules).
COPY --from=deps /app ./
COPY . .
USER node
# Ports each service may open (set by its FLUNQ_* settings): executor RPC, worker and executor ops.
EXPOSE 50051 9464 9465
ENTRYPOINT ["node", "--import", "tsx", "--conditions=@flunq/source"]
# Without a command: the CLI's usage. Services pass their entry file, e.g. apps/worker/src/main.ts.
CMD ["tools/cli/src/main.ts", "--help"]
