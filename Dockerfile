# NJ-JWT as a container (SPEC §1): Next's standalone server, run as a non-root user.
# Build:  docker build -t nj-jwt .          Migrations: docker build --target migrate -t nj-jwt-migrate .
# compose.yaml runs two instances on one Postgres and one Redis.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build

# One-off job: apply drizzle/ to DATABASE_URL (a real Postgres does not migrate itself).
FROM deps AS migrate
COPY drizzle ./drizzle
COPY scripts/db-migrate.mjs ./scripts/db-migrate.mjs
USER node
CMD ["node", "scripts/db-migrate.mjs"]

FROM node:20-bookworm-slim AS app
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 DATA_DIR=/data
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:3000/.well-known/jwks.json').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
