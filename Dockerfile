# syntax=docker/dockerfile:1
# The portal as a self-contained image: `npm run build:standalone` bundles server.ts (the custom
# server that streams /mlflow/*) with Next's standalone output, so the runtime stage holds no
# source, no dev dependencies and no tsx, and starts with plain `node server.js`.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build:standalone

FROM node:20-bookworm-slim AS runtime
# HOSTNAME must be set: Docker otherwise sets it to the container id, and the portal would listen there.
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/.next/standalone ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/auth/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
