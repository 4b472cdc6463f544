import OpenAI from 'openai';
import { Telegram } from 'telegraf';
import type { Env } from '../src/config/env.js';
import type { CredentialCheck } from '../src/domain/credentials.js';
import { createOkClient } from './ok/client.js';
import { createVkApi } from './vk/client.js';

const TIMEOUT_MS = 10_000;

/** One line of an API error, without anything that could carry a token. */
function reason(e: unknown): string {
  const err = (e as { cause?: unknown }).cause ?? e;
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.replace(/(access_token|token|key)=[^&\s]+/gi, '$1=…').slice(0, 200);
}

async function check(name: string, variable: string, run: () => Promise<string>): Promise<CredentialCheck> {
  try {
    return { name, variable, ok: true, detail: await run() };
  } catch (e) {
    return { name, variable, ok: false, detail: reason(e) };
  }
}

/**
 * Asks each configured API who the token belongs to, with the real clients and the
 * configured base URLs (proxies; the local fakes in tests). Tokens that are not set
 * are not checked. Never throws: each check says what works and what does not.
 */
export async function checkCredentials(env: Env): Promise<CredentialCheck[]> {
  const checks: Array<Promise<CredentialCheck>> = [];
  const vk = (token: string) => createVkApi({ token, rps: 3, timeoutMs: TIMEOUT_MS, ...(env.VK_API_BASE_URL ? { apiBaseUrl: env.VK_API_BASE_URL } : {}) });
  if (env.VK_TOKEN) {
    checks.push(
      check('VK (пользователь или сервис)', 'VK_TOKEN', async () => {
        const [user] = (await vk(env.VK_TOKEN!).call('users.get', {})) as Array<{ id: number; first_name?: string; last_name?: string }>;
        return user ? `users.get: ${[user.first_name, user.last_name].filter(Boolean).join(' ')} (id ${user.id})` : 'users.get: сервисный ключ';
      }),
    );
  }
  if (env.VK_GROUP_TOKEN) {
    checks.push(
      check('VK (сообщество)', 'VK_GROUP_TOKEN', async () => {
        const answer = (await vk(env.VK_GROUP_TOKEN!).call('groups.getById', env.VK_GROUP_ID ? { group_id: env.VK_GROUP_ID } : {})) as { groups?: Array<{ id: number; name: string }> } | Array<{ id: number; name: string }>;
        const group = Array.isArray(answer) ? answer[0] : answer.groups?.[0];
        if (!group) throw new Error('groups.getById: сообщество не найдено');
        return `groups.getById: «${group.name}» (id ${group.id})`;
      }),
    );
  }
  if (env.OK_APPLICATION_KEY && env.OK_APPLICATION_SECRET_KEY && env.OK_ACCESS_TOKEN) {
    const ok = createOkClient({
      applicationKey: env.OK_APPLICATION_KEY,
      applicationSecretKey: env.OK_APPLICATION_SECRET_KEY,
      accessToken: env.OK_ACCESS_TOKEN,
      timeoutMs: TIMEOUT_MS,
      attempts: 1,
      ...(env.OK_API_BASE_URL ? { baseUrl: env.OK_API_BASE_URL } : {}),
    });
    checks.push(
      check('Одноклассники', 'OK_ACCESS_TOKEN', async () => {
        const user = await ok.call<{ uid?: string; name?: string }>('users.getCurrentUser', {}, { attempts: 1 });
        return `users.getCurrentUser: ${user.name ?? ''} (uid ${user.uid ?? '?'})`.replace(':  (', ': (');
      }),
    );
  }
  for (const [variable, what] of [['TELEGRAM_BOT_TOKEN', 'Telegram (бот сотрудников)'], ['TELEGRAM_CITIZEN_BOT_TOKEN', 'Telegram (бот для жителей)']] as const) {
    const token = env[variable];
    if (!token) continue;
    checks.push(
      check(what, variable, async () => {
        const me = await new Telegram(token, env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}).getMe();
        return `getMe: @${me.username}`;
      }),
    );
  }
  if (env.OPENAI_API_KEY) {
    checks.push(
      check('LLM (OpenAI-совместимый)', 'OPENAI_API_KEY', async () => {
        const client = new OpenAI({ apiKey: env.OPENAI_API_KEY, timeout: TIMEOUT_MS, maxRetries: 0, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) });
        const ids: string[] = [];
        for await (const m of client.models.list()) ids.push(m.id);
        const has = ids.includes(env.OPENAI_MODEL);
        return `models.list: моделей — ${ids.length}; ${env.OPENAI_MODEL} ${has ? 'есть' : 'не найдена — задайте OPENAI_MODEL'}`;
      }),
    );
  }
  return Promise.all(checks);
}
