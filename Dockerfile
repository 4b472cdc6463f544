# otklik: one process (`otklik start`); the database is Postgres (compose.yaml) or
# the embedded PGlite in the /app/data volume.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# All dependencies first (the build needs the compiler); scripts run after the sources are in.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build --if-present && npm prune --omit=dev --no-audit --no-fund
ENV NODE_ENV=production
RUN mkdir -p /app/data && chown node:node /app/data
USER node
ENV OTKLIK_DATA_DIR=/app/data
VOLUME /app/data
# Exit 78 = broken config (see the log line naming the key).
CMD ["node", "bin/otklik.js", "start"]
