# syntax=docker/dockerfile:1
# The trading daemon as a small, non-root image: TypeScript is compiled in one stage, production dependencies are
# installed (and trimmed) in another, and the runtime stage holds only Node, tini, the compiled code and its data.
# The runtime is Debian slim plus the node binary of the build image (node:20-bookworm-slim is that same Debian
# slim plus node, npm, yarn and corepack): without the package managers the image is about 25 MB smaller.
#
#   docker build -t trading-daemon .
#   docker run --env-file .env -p 127.0.0.1:8000:8000 -v trading-data:/app/data trading-daemon
#
# BASE_IMAGE and RUNTIME_BASE_IMAGE let locally made stand-ins (the same Debian release; Node 20 in /usr/local/bin
# for the first) replace the registry's images where no registry is reachable; see scripts/docker/build-local.sh.
ARG BASE_IMAGE=node:20-bookworm-slim
ARG RUNTIME_BASE_IMAGE=debian:bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build-code.mjs ./scripts/
# Compiles the daemon and builds the dashboard page into dist/web, which the daemon serves.
RUN npm run build

FROM ${BASE_IMAGE} AS deps
WORKDIR /build
COPY package.json package-lock.json ./
# No install scripts: ccxt's prints a banner and calls GitHub's API; bufferutil ships prebuilt binaries (and ws
# falls back to plain JS without it).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY scripts/docker/prune-node-modules.sh ./
RUN sh prune-node-modules.sh node_modules

FROM ${RUNTIME_BASE_IMAGE} AS runtime
# tini is PID 1: it forwards SIGTERM/SIGINT to node (so positions are left protected and the goodbye is sent) and
# reaps zombies. The apt caches go in the same layer, or they would stay in the image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && groupadd --system --gid 10001 trader \
 && useradd --system --uid 10001 --gid trader --home-dir /app --no-create-home --shell /usr/sbin/nologin trader \
 && mkdir -p /app/data \
 && chown trader:trader /app/data

# Inside the container /health and /metrics listen on every interface, or a published port could not reach them;
# publish the port on the host's loopback only (-p 127.0.0.1:8000:8000, as docker-compose.yml does).
# DAEMON_IN_CONTAINER: the environment here holds only the image's names and .env's (compose hands the file over as
# variables), so the daemon reports every name it does not know, a typo in .env included, as it does for a file.
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8000 \
    DATA_DIR=/app/data \
    DAEMON_IN_CONTAINER=1
WORKDIR /app

# The commit the image is built from, for /version (compose passes GIT_COMMIT from the shell, e.g.
# GIT_COMMIT=$(git rev-parse --short HEAD) docker compose up -d --build); without it /version says "unknown".
ARG GIT_COMMIT=""
ENV GIT_COMMIT=${GIT_COMMIT}

COPY --from=build /usr/local/bin/node /usr/local/bin/node
COPY --from=deps /build/node_modules ./node_modules
# package.json's "type": "module" is what makes node load dist/ as ES modules.
COPY package.json ./
COPY --from=build /build/dist ./dist
COPY migrations ./migrations
COPY history ./history
COPY calendar ./calendar
COPY scripts/docker/healthcheck.mjs ./scripts/docker/healthcheck.mjs

# Code and dependencies stay root-owned and read-only to the daemon; only /app/data is its to write (a named volume
# takes this ownership on first use; a bind-mounted folder must belong to uid 10001).
USER trader
VOLUME ["/app/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "scripts/docker/healthcheck.mjs"]

ENTRYPOINT ["tini", "--"]
# A 2 MB young-generation semi-space (Node 20's default is 16 MB): the daemon's start-up garbage is collected sooner, so
# its first start peaks about 15-30 MB lower (npm run bench -- --only memory); the same flag as `npm start`.
CMD ["node", "--max-semi-space-size=2", "dist/cli/start.js"]
