/**
 * A DATABASE_URL whose server accepts the TCP connection and then never answers (a hung
 * proxy, a firewall that drops) fails a command within seconds with one clear line. The CLI
 * runs in-process against a silent local TCP server.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';

let server: Server;
const sockets = new Set<Socket>();
let port = 0;
beforeAll(async () => {
  server = createServer((s) => void sockets.add(s)); // accepts, never writes
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  sockets.forEach((s) => s.destroy());
  await new Promise<void>((r) => server.close(() => r()));
});

describe('an unanswering database', () => {
  it('fails `otklik sources` within seconds with one line and no password', async () => {
    const err: string[] = [];
    const started = Date.now();
    const code = await runCli(['sources'], {
      env: { DATABASE_URL: `postgres://otklik:hunter2secret@127.0.0.1:${port}/otklik` },
      envFile: null,
      out: () => {},
      err: (l) => err.push(l),
      createAdapters: () => new Map(),
      fileAdapter: { channel: 'file', kinds: [], poll: async () => ({ posts: [], cursor: null }) },
    });
    const seconds = (Date.now() - started) / 1000;
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^otklik sources: база данных (не отвечает|недоступна).*127\.0\.0\.1:\d+/);
    expect(err[0]).not.toContain('hunter2secret');
    expect(seconds).toBeLessThan(30); // the connect timeout is 5 s; generous for a loaded machine
  });
});
