import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkCredentials } from '../adapters/credential-checks.js';
import { createAdapters, createFileAdapter } from '../adapters/index.js';
import { runCli } from '../src/cli.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/openai-server.js';
import { startOkFake, type OkFake } from './fakes/ok-server.js';
import { startTelegramFake, type TelegramFake } from './fakes/telegram-server.js';
import { startVkFake, type VkFake } from './fakes/vk-server.js';

const OK_KEYS = { applicationKey: 'CBAFAKE', applicationSecretKey: 'fake-secret', accessToken: 'ok-token-1' };
const VK_GROUP = 700_001;

let vk: VkFake;
let ok: OkFake;
let tg: TelegramFake;
let llm: FakeOpenAI;
/** The fakes' addresses, as an operator behind a proxy would set them. */
let baseUrls: NodeJS.ProcessEnv;

beforeAll(async () => {
  vk = await startVkFake({ tokens: ['vk-user-token', 'vk-group-token'], groupTokens: { 'vk-group-token': VK_GROUP } });
  ok = await startOkFake(OK_KEYS);
  tg = await startTelegramFake();
  llm = await startFakeOpenAI();
  vk.addCommunity({ id: VK_GROUP, screen_name: 'adm_test', name: 'Администрация (тест)' });
  vk.addPost(VK_GROUP, { text: 'На остановке Северная разбито стекло павильона' });
  vk.addPost(VK_GROUP, { text: 'Когда отремонтируют дорогу к поликлинике?' });
  ok.addGroup({ id: '870001', name: 'Северный район' });
  ok.addTopic('870001', { text: 'Третий день не работает лифт в доме 12' });
  baseUrls = { VK_API_BASE_URL: vk.apiBaseUrl, OK_API_BASE_URL: ok.baseUrl, TELEGRAM_API_ROOT: tg.apiRoot };
});
afterAll(async () => Promise.all([vk?.close(), ok?.close(), tg?.close(), llm?.close()]));

async function cli(argv: string[], env: NodeJS.ProcessEnv, opts: { envFile?: string | null; stdin?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    loadAdapters: async () => ({ createAdapters, fileAdapter: createFileAdapter(), checkCredentials }),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { LOG_LEVEL: 'silent', ...env },
    envFile: opts.envFile ?? null,
    ...(opts.stdin !== undefined ? { stdin: Readable.from([opts.stdin]) } : {}),
  });
  return { code, out, err };
}

describe('otklik init', () => {
  it('--yes checks every token against its API (local fakes), writes .env (600) and a config, makes the admin invite; poll --once then works from those files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-init-'));
    const files = { env: join(dir, '.env'), config: join(dir, 'config', 'installation.yaml') };
    const r = await cli(
      [
        'init', '--yes', '--territory', 'Северск', '--department', 'Комитет ЖКХ', '--department', 'Комитет дорожного хозяйства',
        '--vk-token', 'vk-user-token', '--vk-group-token', 'vk-group-token', '--vk-group-id', String(VK_GROUP),
        '--ok-app-key', OK_KEYS.applicationKey, '--ok-secret', OK_KEYS.applicationSecretKey, '--ok-token', OK_KEYS.accessToken,
        '--telegram-token', '123456:staff', '--openai-key', 'sk-test', '--openai-base-url', llm.url,
        '--vk-wall', 'adm_test', '--ok-group', '870001', '--config', files.config, '--env-file', files.env,
      ],
      { ...baseUrls, OTKLIK_DATA_DIR: join(dir, 'data') },
    );
    expect(r.err).toEqual([]);
    expect(r.out).toEqual(expect.arrayContaining([
      'работает: VK (пользователь или сервис) (VK_TOKEN) — users.get: Иван Тестов (id 100)',
      `работает: VK (сообщество) (VK_GROUP_TOKEN) — groups.getById: «Администрация (тест)» (id ${VK_GROUP})`,
      'работает: Одноклассники (OK_ACCESS_TOKEN) — users.getCurrentUser: Ольга Тестова (uid 571234567890)',
      'работает: Telegram (бот сотрудников) (TELEGRAM_BOT_TOKEN) — getMe: @fake123456_bot',
      'работает: LLM (OpenAI-совместимый) (OPENAI_API_KEY) — models.list: моделей — 2; gpt-4o-mini есть',
    ]));
    expect(r.out.join('\n')).toMatch(/первый администратор: откройте в Telegram https:\/\/t\.me\/fake123456_bot\?start=[\w-]{16}/);
    expect(r.code).toBe(0);
    expect(statSync(files.env).mode & 0o777).toBe(0o600);
    const envText = readFileSync(files.env, 'utf8');
    for (const line of ['VK_TOKEN=vk-user-token', `VK_GROUP_ID=${VK_GROUP}`, `VK_API_BASE_URL=${vk.apiBaseUrl}`, `OTKLIK_CONFIG=${files.config}`]) expect(envText).toContain(line);
    const config = parse(readFileSync(files.config, 'utf8'));
    expect(config.departments).toEqual([{ code: 'komitet_zhkkh', name: 'Комитет ЖКХ' }, { code: 'komitet_dorozhnogo_khoziaistva', name: 'Комитет дорожного хозяйства' }]);
    expect(config.territory).toEqual({ name: 'Северск', places: ['северск'] });

    // Only the files init wrote: nothing else in the environment.
    const poll = await cli(['poll', '--once'], {}, { envFile: files.env });
    expect(poll.err).toEqual([]);
    const counts = JSON.parse(poll.out[0]!);
    expect(counts).toMatchObject({ failed: 0, failedPosts: 0 });
    expect(counts.newPosts).toBe(3); // two VK wall posts, one OK topic
    const sources = await cli(['sources', '--json'], {}, { envFile: files.env });
    expect(sources.out.map((l) => JSON.parse(l)).map((s: { channel: string; kind: string }) => `${s.channel}:${s.kind}`)).toEqual(['vk:wall', 'vk:comments', 'vk:search', 'vk:suggests', 'vk:messages', 'ok:group']);
  }, 120_000);

  it('answers through stdin: departments from an «Инцидент Менеджмент» export; a rejected token is reported and the exit code says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-init-'));
    const exportFile = join(dir, 'export.csv');
    writeFileSync(exportFile, 'Номер;Текст инцидента;Исполнитель\n1;Яма;Комитет дорожного хозяйства\n2;Мусор;Управление благоустройства\n3;Ямы;Комитет дорожного хозяйства\n');
    const files = { env: join(dir, '.env'), config: join(dir, 'installation.yaml') };
    tg.failNext('getMe', { code: 401 });
    const answers = [
      'Северск', // territory
      'северск, северчан', // places
      exportFile, // departments from the export
      '', '', '', '', '', '', // VK_TOKEN, VK_GROUP_TOKEN, VK_GROUP_ID, OK key, OK secret, OK token: skipped
      '999:revoked', // TELEGRAM_BOT_TOKEN
      '', '', // OPENAI_API_KEY, OPENAI_BASE_URL
      '', '', 'seversk_news', // VK communities, OK groups, t.me channels
    ].join('\n');
    const r = await cli(['init', '--config', files.config, '--env-file', files.env], { TELEGRAM_API_ROOT: tg.apiRoot }, { stdin: `${answers}\n` });
    expect(r.err).toEqual([]);
    expect(r.out[0]).toBe('Территория — название для отчётов, например «Курск»:');
    expect(r.out).toContain('НЕ работает: Telegram (бот сотрудников) (TELEGRAM_BOT_TOKEN) — 401: Unauthorized');
    expect(r.out).toContain('приглашение администратора: задайте TELEGRAM_BOT_TOKEN, затем выполните otklik invite admin');
    expect(r.code).toBe(1);
    const config = parse(readFileSync(files.config, 'utf8'));
    expect(config.departments.map((d: { name: string }) => d.name)).toEqual(['Комитет дорожного хозяйства', 'Управление благоустройства']);
    expect(config.territory.places).toEqual(['северск', 'северчан']);
    expect(config.sources).toEqual([expect.objectContaining({ channel: 'telegram', kind: 'tme', ref: 'seversk_news' })]);
    expect(readFileSync(files.env, 'utf8')).toContain('TELEGRAM_BOT_TOKEN=999:revoked');
  }, 60_000);

  it('refuses to overwrite existing files without --force, and a missing export column names the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-init-'));
    const env = join(dir, '.env');
    writeFileSync(env, 'KEEP=1\n');
    const args = ['init', '--yes', '--territory', 'Северск', '--department', 'ЖКХ', '--config', join(dir, 'c.yaml'), '--env-file', env];
    const again = await cli(args, {});
    expect(again).toMatchObject({ code: 2, err: [`otklik init: ${env} уже есть: добавьте --force, чтобы перезаписать`] });
    expect(readFileSync(env, 'utf8')).toBe('KEEP=1\n');
    const csv = join(dir, 'export.csv');
    writeFileSync(csv, 'Номер,Текст\n1,Яма\n');
    const column = await cli(['init', '--yes', '--territory', 'Северск', '--departments-from', csv, '--config', join(dir, 'd.yaml'), '--env-file', join(dir, 'e')], {});
    expect(column.code).toBe(2);
    expect(column.err).toEqual([`otklik init: ${csv}: no column "Исполнитель" (columns: Номер, Текст); укажите столбец исполнителя: --executor-col`]);
    expect(existsSync(join(dir, 'd.yaml'))).toBe(false);
  });
});
