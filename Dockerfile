# syntax=docker/dockerfile:1
# Multi-stage: compile TypeScript and native modules (better-sqlite3) in a build stage, ship only the
# compiled service, production dependencies and the reviewed content on node:20-slim, as a non-root user.
FROM node:20-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
# NODE_OPTIONS sizes the V8 heap for a container of 1.5 GiB or more. Besides the ceiling it sets, a limit of
# 1 GiB makes V8 grow the old generation by ~1.6x between major collections instead of up to 4x (V8's growing
# factor scales with the limit), which keeps peak RSS under load well below the default's (BENCHMARKS.md).
# npm run bench reads these options from this file and runs the service with them.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=1024" \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
# Static pages (analytics), read once at start-up from the project root (src/http/analytics-routes.ts).
COPY --chown=node:node public ./public
# Reviewed clinical content: mount your own over these folders to change wording, thresholds or codes.
COPY --chown=node:node cds-services ./cds-services
COPY --chown=node:node fhir-profiles ./fhir-profiles
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
