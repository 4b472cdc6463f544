import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../cli/errors.js';
import type { SetupAnswers } from './answers.js';

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

/** A config code from a department's name: latin, lowercase, short, unique among `taken`. */
export function departmentCode(name: string, taken: Set<string>): string {
  const words = name.toLowerCase().split('').map((c) => TRANSLIT[c] ?? c).join('').split(/[^a-z0-9]+/).filter(Boolean);
  // Up to three whole words, at most 32 characters: `komitet_dorozhnogo_khoziaistva`.
  const base = words.slice(0, 3).reduce((acc, w) => (acc && `${acc}_${w}`.length > 32 ? acc : acc ? `${acc}_${w}` : w.slice(0, 32)), '') || 'dept';
  let code = base;
  for (let i = 2; taken.has(code); i++) code = `${base}_${i}`;
  taken.add(code);
  return code;
}

/** The installation config `init` writes: territory, departments and sources; topics and routing are left to fill in. */
export function renderConfig(a: SetupAnswers): string {
  const taken = new Set<string>();
  const departments = a.departments.map((name) => ({ code: departmentCode(name, taken), name }));
  const sources = [
    ...a.vkWalls.flatMap((ref) => [
      { channel: 'vk', kind: 'wall', ref, name: `VK: ${ref}` },
      { channel: 'vk', kind: 'comments', ref, name: `VK: комментарии ${ref}` },
    ]),
    ...(a.env.VK_TOKEN ? [{ channel: 'vk', kind: 'search', ref: a.territory, name: `Поиск VK по слову «${a.territory}»`, interval: 600 }] : []),
    ...(a.env.VK_GROUP_TOKEN && a.env.VK_GROUP_ID
      ? [
          { channel: 'vk', kind: 'suggests', ref: a.env.VK_GROUP_ID, name: 'Предложенные записи' },
          { channel: 'vk', kind: 'messages', ref: a.env.VK_GROUP_ID, name: 'Сообщения сообщества', interval: 120 },
        ]
      : []),
    ...a.okGroups.map((ref) => ({ channel: 'ok', kind: 'group', ref, name: `OK: ${ref}`, interval: 600 })),
    ...a.tmeChannels.map((ref) => ({ channel: 'telegram', kind: 'tme', ref, name: `Telegram: ${ref}`, interval: 600 })),
  ];
  const config = {
    timezone: a.timezone,
    territory: { name: a.territory, places: a.places },
    departments,
    default_department: departments[0]!.code,
    topics: [],
    sources,
  };
  const header = [
    `# otklik installation config written by \`otklik init\` on ${new Date().toISOString().slice(0, 10)}.`,
    '# Next: add topics (with keywords and departments), routing rules, districts and streets,',
    '# and the Telegram chats (`otklik chats` lists the ids) — config/example.yaml shows every key.',
    '',
  ].join('\n');
  return header + stringify(config, { lineWidth: 0 });
}

const quote = (v: string) => (/^[\w@%+=:,./-]*$/.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);

/** `.env` lines for every value given (tokens, base URLs from the environment, the config path). */
export function renderEnv(values: Record<string, string | number | undefined>): string {
  const lines = ['# otklik settings written by `otklik init`; the environment wins over this file. Keep it secret (mode 600).'];
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') lines.push(`${k}=${quote(String(v))}`);
  return `${lines.join('\n')}\n`;
}

/** Writes `path` (creating its folder), refusing to replace an existing file unless `force`. */
export function writeNew(path: string, text: string, mode: number, force: boolean): void {
  if (existsSync(path) && !force) throw new UsageError(`${path} уже есть: добавьте --force, чтобы перезаписать`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
}
