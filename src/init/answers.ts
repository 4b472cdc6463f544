import { createInterface } from 'node:readline';
import { UsageError } from '../cli/errors.js';

/** Credentials and settings `init` puts into `.env` (only those given). */
export type SetupEnv = Partial<Record<(typeof TOKEN_QUESTIONS)[number]['variable'], string>>;

export interface SetupAnswers {
  territory: string;
  places: string[];
  timezone: string;
  departments: string[];
  vkWalls: string[];
  okGroups: string[];
  tmeChannels: string[];
  env: SetupEnv;
}

/** The tokens asked for, in order; `option` is the `--yes` flag that gives it. */
export const TOKEN_QUESTIONS = [
  { variable: 'VK_TOKEN', option: 'vkToken', prompt: 'VK_TOKEN — ключ пользователя или сервисный ключ VK (чтение стен, комментариев, поиск)' },
  { variable: 'VK_GROUP_TOKEN', option: 'vkGroupToken', prompt: 'VK_GROUP_TOKEN — ключ сообщества администрации (предложенные записи, сообщения, ответы)' },
  { variable: 'VK_GROUP_ID', option: 'vkGroupId', prompt: 'VK_GROUP_ID — номер этого сообщества (положительный)' },
  { variable: 'OK_APPLICATION_KEY', option: 'okAppKey', prompt: 'OK_APPLICATION_KEY — публичный ключ приложения Одноклассников' },
  { variable: 'OK_APPLICATION_SECRET_KEY', option: 'okSecret', prompt: 'OK_APPLICATION_SECRET_KEY — секретный ключ приложения' },
  { variable: 'OK_ACCESS_TOKEN', option: 'okToken', prompt: 'OK_ACCESS_TOKEN — вечный access_token' },
  { variable: 'TELEGRAM_BOT_TOKEN', option: 'telegramToken', prompt: 'TELEGRAM_BOT_TOKEN — ключ служебного бота от @BotFather' },
  { variable: 'OPENAI_API_KEY', option: 'openaiKey', prompt: 'OPENAI_API_KEY — ключ LLM (любой OpenAI-совместимый сервер)' },
  { variable: 'OPENAI_BASE_URL', option: 'openaiBaseUrl', prompt: 'OPENAI_BASE_URL — адрес сервера LLM (пусто — OpenAI)' },
] as const;

/** Asks one question, returns the answer (trimmed; '' at the end of input). */
export type Ask = (question: string) => Promise<string>;

/** Plain line prompts: the question on its own line, the answer on the next. Reads piped input without losing lines. */
export function createPrompter(input: NodeJS.ReadableStream, out: (line: string) => void): { ask: Ask; close(): void } {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    ask: async (question) => {
      out(question);
      const next = await lines.next();
      return next.done ? '' : String(next.value).trim();
    },
    close: () => rl.close(),
  };
}

const list = (s: string, sep = /[,;]/) => s.split(sep).map((x) => x.trim()).filter(Boolean);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/**
 * The answers from the options; anything missing is asked unless `--yes`, where a
 * missing territory or department list is a usage error. Tokens may also come from
 * the environment (so they need not be typed on a command line).
 */
export async function collectAnswers(
  opts: Record<string, unknown>,
  rawEnv: NodeJS.ProcessEnv,
  ask: Ask | null,
  importDepartments: (file: string, column: string) => Promise<string[]>,
): Promise<SetupAnswers> {
  const need = async (value: unknown, question: string, what: string): Promise<string> => {
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (!ask) throw new UsageError(`с --yes нужен ${what}`);
    const answer = await ask(question);
    if (!answer) throw new UsageError(`не указан ${what}`);
    return answer;
  };
  const territory = await need(opts.territory, 'Территория — название для отчётов, например «Курск»:', 'параметр --territory');
  const stem = territory.toLowerCase().replace(/[аеиоуыэюяь]+$/u, '');
  const placesAnswer = typeof opts.places === 'string' ? opts.places : ask ? await ask(`Основы названий места для поиска через запятую [${stem}]:`) : '';
  const places = list(placesAnswer).map((p) => p.toLowerCase());
  const departments = await askDepartments(opts, ask, importDepartments);
  const env: SetupEnv = {};
  for (const q of TOKEN_QUESTIONS) {
    const given = (opts[q.option] as string | undefined) ?? rawEnv[q.variable];
    const value = given ?? (ask ? await ask(`${q.prompt} (пусто — пропустить):`) : '');
    if (value) env[q.variable] = value;
  }
  const sources = async (option: string, question: string) => {
    const given = strings(opts[option]);
    if (given.length || !ask) return given;
    return list(await ask(question));
  };
  return {
    territory,
    places: places.length ? places : [stem],
    timezone: typeof opts.timezone === 'string' ? opts.timezone : 'Europe/Moscow',
    departments,
    vkWalls: await sources('vkWall', 'Сообщества VK для чтения — короткие имена или ссылки через запятую (пусто — пропустить):'),
    okGroups: await sources('okGroup', 'Группы Одноклассников — номера или ссылки через запятую (пусто — пропустить):'),
    tmeChannels: await sources('tme', 'Публичные каналы Telegram — имена без @ через запятую (пусто — пропустить):'),
    env,
  };
}

async function askDepartments(opts: Record<string, unknown>, ask: Ask | null, importDepartments: (file: string, column: string) => Promise<string[]>): Promise<string[]> {
  const column = typeof opts.executorCol === 'string' ? opts.executorCol : 'Исполнитель';
  if (typeof opts.departmentsFrom === 'string') return importDepartments(opts.departmentsFrom, column);
  const given = strings(opts.department).flatMap((d) => list(d, /;/));
  if (given.length) return given;
  if (!ask) throw new UsageError('с --yes нужны ведомства: --department "Название" (можно несколько) или --departments-from выгрузка.xlsx');
  const file = await ask('Выгрузка «Инцидент Менеджмент» (CSV или XLSX), чтобы взять ведомства из столбца «Исполнитель» (пусто — ввести названия):');
  if (file) return importDepartments(file, column);
  const names = list(await ask('Ведомства через точку с запятой, первое получает всё, что не направлено другим:'), /;/);
  if (!names.length) throw new UsageError('нужно хотя бы одно ведомство');
  return names;
}
