# otklik: one process (`otklik start`); the database is Postgres (compose.yaml) or
# the embedded PGlite in the /app/data volume.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN mkdir -p /app/data && chown node:node /app/data
USER node
ENV OTKLIK_DATA_DIR=/app/data
VOLUME /app/data
# Exit 78 = broken config (see the log line naming the key).
CMD ["node", "bin/otklik.js", "start"]
