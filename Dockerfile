# syntax=docker/dockerfile:1
# HQAdz: one image for every role (`node dist/main.js all|api|worker`) and the operator CLI
# (`npx hqadz …`). Build: docker build -t hqadz . — see README "Deploy".

# 1. Build the server, CLI and web bundles with the dev tools (esbuild, vite, TypeScript).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only: the bundles keep packages external.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: no compilers, no dev dependencies, not root.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
# Migrations are read at start-up from src/db/migrations (src/lib/paths.ts).
COPY src/db/migrations ./src/db/migrations
# The image's `node` user (uid 1000) owns only DATA_DIR: generated secrets, the embedded database.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Readiness, not liveness: GET /api/health/ready answers 200 only when the database,
# migrations and worker heartbeat are fine (SPEC §6). Node's fetch, so no curl in the image.
# Worker-only containers serve no HTTP: compose.yaml turns this check off for them.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
