# kiemky: one image, two roles — `serve` (the API, default) and `worker` (docker-compose.yml runs both).

# ── build: compile TypeScript with the dev dependencies, then drop them ───────────────────────────────────────
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` script compiles the sources, which are not copied yet; the build runs below.
# npm 11 may refuse its own lock for other platforms' optional packages; npm install installs the locked versions.
RUN npm ci --ignore-scripts || npm install --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY worker ./worker
COPY server ./server
COPY samples ./samples
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

# ── runtime: compiled code, production dependencies, the bundled trust store ──────────────────────────────────
FROM node:20-slim
# HOST: the server's default, 127.0.0.1, would be the container's own loopback, which no published port reaches.
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY certs ./certs
COPY calendar ./calendar
# The report contract, served at /api/report.schema.json.
COPY docs/report.schema.json ./docs/report.schema.json
# The store's SQL migrations are read at run time (tsc does not copy .sql into dist/).
COPY server/store/migrations ./server/store/migrations
# The volumes' mount points exist in the image, owned by the unprivileged user, so fresh named volumes are too.
RUN mkdir -p /data /exports && chown node:node /data /exports
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/kiemky.js", "serve"]
