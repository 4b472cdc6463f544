import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileAdapter } from '../../adapters/file/index.js';
import { runCli } from '../../src/cli.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';

let tg: TelegramFake;
beforeAll(async () => {
  tg = await startTelegramFake();
});
afterAll(() => tg.close());

function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(argv, {
    createAdapters: () => new Map([['file', createFileAdapter()]]),
    fileAdapter: createFileAdapter(),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { LOG_LEVEL: 'silent', OTKLIK_DATA_DIR: 'memory://', ...env },
    envFile: null,
  }).then((code) => ({ code, out, err }));
}

describe('otklik invite / chats', () => {
  it('invite admin prints a one-time deep link with the bot name from getMe', async () => {
    const r = await cli(['invite', 'admin'], { TELEGRAM_BOT_TOKEN: '31337:cli-token', TELEGRAM_API_ROOT: tg.apiRoot });
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^https:\/\/t\.me\/fake31337_bot\?start=[\w-]{16}$/);
    expect(r.out[1]).toMatch(/role: admin; works once; expires 20\d\d-/);
  });

  it('invite without a token names the variable (exit 78)', async () => {
    const r = await cli(['invite', 'admin']);
    expect(r.code).toBe(78);
    expect(r.err[0]).toContain('TELEGRAM_BOT_TOKEN');
  });

  it('chats says when the bot has seen none yet', async () => {
    const r = await cli(['chats']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toContain('has seen no group chats yet');
  });
});
