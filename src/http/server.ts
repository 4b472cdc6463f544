import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { checkHealth } from './health.js';

export interface HttpDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  registry: Registry;
  port: number;
  host: string;
}

export interface HttpServer {
  /** The port actually listened on (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz` (200 or 503 with a JSON body) and `/metrics` (Prometheus text) for the
 * operator's monitoring. Read-only, no user data: only counts and ages.
 */
export async function startHttpServer(deps: HttpDeps): Promise<HttpServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    const answer = async (): Promise<void> => {
      if (path === '/healthz') {
        const health = await checkHealth(deps.db, deps.clock);
        res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(health));
      } else if (path === '/metrics') {
        const body = await deps.registry.metrics();
        res.writeHead(200, { 'content-type': deps.registry.contentType }).end(body);
      } else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    };
    answer().catch((err: unknown) => {
      deps.log.error({ err, path }, 'http request failed');
      // No stack or message to the client: monitoring needs only the status.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => (server.off('error', reject), resolve()));
  });
  const { port } = server.address() as AddressInfo;
  deps.log.info({ host: deps.host, port }, 'http: /healthz and /metrics');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
