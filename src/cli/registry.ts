/**
 * Every `otklik` command, described in one place.
 *
 * How to add a command:
 * 1. Write `src/commands/<name>.ts` exporting one function
 *    `(deps, input) => Promise<exitCode>` — an `AppCommand` (gets the App: database,
 *    config, log, clock) or an `EnvCommand` (gets only the environment and builds what
 *    it needs). Read options from `input.opts` (camelCase, already validated),
 *    positionals from `input.args`. Print results with `deps.out`; for a bad value
 *    throw `UsageError` (exit 2), for a config problem `ConfigError` (exit 78); any
 *    other error is printed as one line, exit 1. Never print a stack trace.
 * 2. Add an entry below: name, a Russian one-line `summary`, `options` with Russian
 *    descriptions (and `parse` from ./values.ts for anything that is not free text:
 *    a bad value is refused before the command runs), and at least one `examples` line.
 * 3. Keep `load` a dynamic `import()`: `otklik --help` and `otklik <cmd> --help` read only
 *    this file, so they start fast and never open the database. Do not import
 *    command modules, drizzle, PGlite, telegraf, vk-io or the classifier here.
 * 4. Add a line to the command table in README.md. test/cli-help.test.ts checks that
 *    the new command's `--help` prints usage and touches no database.
 */
import type { CommandSpec } from './spec.js';
import { oneOf, parseDate, parseStatus } from './values.js';

const tableOptions = (withGroup: boolean) => [
  { flags: '--csv <файл>', description: 'размеченная история: CSV (запятая или точка с запятой, UTF-8) или XLSX' },
  { flags: '--xlsx <файл>', description: 'то же, что --csv, для файла XLSX' },
  { flags: '--text-col <столбец>', description: 'столбец с текстом обращения', default: 'text' },
  { flags: '--topic-col <столбец>', description: 'столбец с темой', default: 'topic' },
  { flags: '--department-col <столбец>', description: 'столбец с ведомством (исполнителем)', default: 'department' },
  { flags: '--kind-col <столбец>', description: 'столбец с видом обращения (жалоба, вопрос, шум…)', default: 'kind' },
  ...(withGroup ? [{ flags: '--group-col <столбец>', description: 'столбец с группой темы (категорией)', default: 'group' }] : []),
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    summary: 'первоначальная настройка: территория, ведомства, ключи (с проверкой), источники; пишет .env и конфигурацию',
    details:
      'Без --yes задаёт вопросы по одному. Каждый ключ проверяется запросом к своему API (VK users.get / groups.getById, OK users.getCurrentUser, Telegram getMe, LLM models.list). Ключи можно не писать в командной строке: заданные в окружении берутся оттуда. .env создаётся с правами 600.',
    options: [
      { flags: '-y, --yes', description: 'не спрашивать: всё из параметров и окружения' },
      { flags: '--territory <название>', description: 'территория, как в отчётах («Курск»)' },
      { flags: '--places <основы>', description: 'основы названий места для поиска через запятую («курск,курян»)' },
      { flags: '--timezone <пояс>', description: 'часовой пояс IANA', default: 'Europe/Moscow' },
      { flags: '--department <название>', description: 'ведомство (можно несколько раз); первое получает всё прочее', repeatable: true },
      { flags: '--departments-from <файл>', description: 'взять ведомства из выгрузки «Инцидент Менеджмент» (CSV или XLSX)' },
      { flags: '--executor-col <столбец>', description: 'столбец исполнителя в выгрузке', default: 'Исполнитель' },
      { flags: '--vk-token <ключ>', description: 'VK_TOKEN: ключ пользователя или сервисный' },
      { flags: '--vk-group-token <ключ>', description: 'VK_GROUP_TOKEN: ключ сообщества администрации' },
      { flags: '--vk-group-id <номер>', description: 'VK_GROUP_ID: номер сообщества администрации' },
      { flags: '--ok-app-key <ключ>', description: 'OK_APPLICATION_KEY: публичный ключ приложения Одноклассников' },
      { flags: '--ok-secret <ключ>', description: 'OK_APPLICATION_SECRET_KEY: секретный ключ приложения' },
      { flags: '--ok-token <ключ>', description: 'OK_ACCESS_TOKEN: вечный ключ доступа' },
      { flags: '--telegram-token <ключ>', description: 'TELEGRAM_BOT_TOKEN: служебный бот от @BotFather' },
      { flags: '--openai-key <ключ>', description: 'OPENAI_API_KEY: ключ сервера LLM' },
      { flags: '--openai-base-url <адрес>', description: 'OPENAI_BASE_URL: свой сервер LLM' },
      { flags: '--vk-wall <сообщество>', description: 'стена и комментарии сообщества VK (можно несколько раз)', repeatable: true },
      { flags: '--ok-group <группа>', description: 'группа Одноклассников (можно несколько раз)', repeatable: true },
      { flags: '--tme <канал>', description: 'публичный канал Telegram без @ (можно несколько раз)', repeatable: true },
      { flags: '--config <файл>', description: 'куда записать конфигурацию', default: 'config/installation.yaml' },
      { flags: '--env-file <файл>', description: 'куда записать настройки и ключи', default: '.env' },
      { flags: '--force', description: 'перезаписать существующие файлы' },
    ],
    examples: [
      'init',
      'init --yes --territory Курск --department "Комитет ЖКХ" --department "Комитет дорожного хозяйства" --vk-wall adm_kursk --tme kursk_online',
      'init --yes --territory Курск --departments-from export.xlsx --executor-col "Исполнитель"',
    ],
    needs: 'env',
    load: async () => (await import('../commands/init.js')).initCommand,
  },
  {
    name: 'demo',
    summary: 'проиграть смоделированную неделю на встроенной базе и напечатать недельный отчёт',
    details: 'Своя база в <OTKLIK_DATA_DIR>/demo (очищается перед запуском) и своя конфигурация config/demo/config.yaml; рабочую базу не трогает.',
    options: [
      { flags: '--format <формат>', description: 'вид отчёта: text или json', default: 'text', parse: oneOf(['text', 'json']), choices: ['text', 'json'] },
      { flags: '--chats', description: 'ещё напечатать переписку служебных чатов за неделю (карточки, правки, кнопки)' },
    ],
    examples: ['demo', 'demo --format json', 'demo --chats'],
    needs: 'env',
    load: async () => (await import('../commands/demo.js')).demoCommand,
  },
  {
    name: 'migrate',
    summary: 'применить миграции базы данных и перенести конфигурацию установки в базу',
    examples: ['migrate'],
    needs: 'app',
    load: async () => (await import('../commands/migrate.js')).migrateCommand,
  },
  {
    name: 'poll',
    summary: 'один раз опросить все включённые источники и обработать публикации',
    details: 'Печатает одну строку JSON со счётчиками. Для постоянной работы — otklik start.',
    options: [{ flags: '--once', description: 'опросить один раз и выйти (обязательно)', required: true }],
    examples: ['poll --once'],
    needs: 'app',
    load: async () => (await import('../commands/poll.js')).pollCommand,
  },
  {
    name: 'incidents',
    summary: 'список инцидентов',
    options: [
      { flags: '--json', description: 'по одному объекту JSON в строке' },
      { flags: '--status <статус>', description: 'только с этим статусом: код (in_work) или название («В работе»)', parse: parseStatus },
    ],
    examples: ['incidents --status new', 'incidents --status "В работе" --json'],
    adapters: false,
    needs: 'app',
    load: async () => (await import('../commands/incidents.js')).incidentsCommand,
  },
  {
    name: 'report',
    summary: 'отчёт за период (даты включительно, в часовом поясе установки): текст, JSON, CSV или XLSX',
    details: 'Таблицы в виде отчётов администраций: итог с тем же периодом год назад, кварталы, каналы, исполнители, темы, результаты, просроченные. XLSX — по листу на таблицу.',
    options: [
      { flags: '--from <дата>', description: 'первый день, ГГГГ-ММ-ДД (по умолчанию неделя назад)', parse: parseDate },
      { flags: '--to <дата>', description: 'последний день, ГГГГ-ММ-ДД (по умолчанию вчера)', parse: parseDate },
      { flags: '--format <формат>', description: 'text, json, csv или xlsx', default: 'text', parse: oneOf(['text', 'json', 'csv', 'xlsx']), choices: ['text', 'json', 'csv', 'xlsx'] },
      { flags: '--out <файл>', description: 'записать в файл (для xlsx обязательно)' },
    ],
    examples: ['report --from 2026-11-16 --to 2026-11-22', 'report --from 2026-01-01 --to 2026-01-31 --format xlsx --out январь.xlsx'],
    adapters: false,
    needs: 'app',
    load: async () => (await import('../commands/report.js')).reportCommand,
  },
  {
    name: 'import',
    summary: 'загрузить историю из выгрузки «Инцидент Менеджмент» (XLSX или CSV)',
    details: 'Столбцы по названию, без учёта регистра: Номер инцидента, Дата создания, Дата закрытия, Время первого ответа, Группа тем, Тема, Исполнитель (через «;»), Регион, Муниципалитет, Населённый пункт, Улица, Дом, Ссылка, Источник, Текст инцидента, Статус, Результат; прочие столбцы не читаются. Повторная загрузка того же файла ничего не добавляет. Код выхода 65, если отклонена хотя бы одна строка (хорошие строки загружены, каждая отклонённая названа с причиной).',
    args: [{ name: '<файл>', description: 'выгрузка .xlsx или .csv' }],
    options: [{ flags: '--format <формат>', description: 'формат выгрузки: im («Инцидент Менеджмент»)', required: true, parse: oneOf(['im']), choices: ['im'] }],
    examples: ['import --format im выгрузка-2025.xlsx'],
    needs: 'app',
    load: async () => (await import('../commands/import.js')).importCommand,
  },
  {
    name: 'export',
    summary: 'выгрузить инциденты за период в виде выгрузки «Инцидент Менеджмент»',
    options: [
      { flags: '--format <формат>', description: 'формат: im («Инцидент Менеджмент»)', required: true, parse: oneOf(['im']), choices: ['im'] },
      { flags: '--from <дата>', description: 'первый день, ГГГГ-ММ-ДД', required: true, parse: parseDate },
      { flags: '--to <дата>', description: 'последний день, ГГГГ-ММ-ДД', required: true, parse: parseDate },
      { flags: '--out <файл>', description: 'файл .xlsx или .csv (без него — CSV в вывод)' },
    ],
    examples: ['export --format im --from 2026-01-01 --to 2026-12-31 --out история.xlsx'],
    needs: 'app',
    load: async () => (await import('../commands/export.js')).exportCommand,
  },
  {
    name: 'sources',
    summary: 'источники: состояние, последний опрос, число публикаций, последняя ошибка',
    options: [{ flags: '--json', description: 'по одному объекту JSON в строке' }],
    examples: ['sources', 'sources --json'],
    adapters: false,
    needs: 'app',
    load: async () => (await import('../commands/sources.js')).sourcesCommand,
  },
  {
    name: 'start',
    summary: 'работать постоянно: опрос источников и задания по расписанию до SIGINT/SIGTERM',
    details: 'Пишет строку журнала на каждый цикл опроса и на каждое задание. Для службы см. deploy/otklik.service.',
    examples: ['start'],
    needs: 'app',
    load: async () => (await import('../commands/start.js')).startCommand,
  },
  {
    name: 'train',
    summary: 'обучить классификатор на размеченной истории (CSV или XLSX)',
    details: 'Сначала сообщает, сколько тем и ведомств файла есть в настройке. Печатает точность, измеренную на отложенных текстах.',
    options: [...tableOptions(true), { flags: '--adopt', description: 'дописать темы (с группами) и ведомства истории в файл настройки (OTKLIK_CONFIG)' }],
    examples: ['train --csv history.csv --adopt', 'train --xlsx export.xlsx --text-col "Текст инцидента" --topic-col "Тема" --department-col "Исполнитель"'],
    needs: 'app',
    load: async () => {
      const { trainCommand } = await import('../commands/train.js');
      return (deps, input) => trainCommand(deps, input.argv);
    },
  },
  {
    name: 'eval',
    summary: 'измерить сохранённый классификатор на размеченном файле',
    options: tableOptions(false),
    examples: ['eval --csv holdout.csv'],
    needs: 'app',
    load: async () => {
      const { evalCommand } = await import('../commands/eval.js');
      return (deps, input) => evalCommand(deps, input.argv);
    },
  },
  {
    name: 'classify',
    summary: 'показать, как текст будет классифицирован и направлен, и почему; или классифицировать целый файл',
    details: 'С --csv: по строке JSON на каждую строку файла (вид, инцидент, три лучшие темы и ведомства с вероятностями, auto, маршрут, пояснение); LLM не спрашивается.',
    args: [{ name: '[текст...]', description: 'текст обращения (в кавычках)' }],
    options: [
      { flags: '--csv <файл>', description: 'классифицировать все строки файла CSV (или XLSX)' },
      { flags: '--xlsx <файл>', description: 'то же, что --csv, для файла XLSX' },
      { flags: '--text-col <столбец>', description: 'столбец с текстом', default: 'text' },
      { flags: '--out <файл>', description: 'куда писать строки JSON (по умолчанию — в стандартный вывод)' },
    ],
    examples: ['classify "Во дворе третий день не вывозят мусор"', 'classify --csv backlog.csv --text-col "Текст" --out backlog.jsonl'],
    needs: 'app',
    load: async () => {
      const { classifyCommand } = await import('../commands/classify.js');
      return (deps, input) => classifyCommand(deps, input.argv);
    },
  },
  {
    name: 'invite',
    summary: 'одноразовая ссылка-приглашение в служебный бот (t.me/<бот>?start=<код>, 7 дней)',
    details: 'Первого администратора приглашают отсюда; остальных — командой /invite в боте. Имя бота берётся из getMe (нужен TELEGRAM_BOT_TOKEN) или из --bot.',
    args: [
      { name: '<роль>', description: 'admin, moderator, department, press или manager' },
      { name: '[отдел]', description: 'код отдела для роли department' },
    ],
    options: [
      { flags: '--bot <имя>', description: 'имя бота без @ (иначе спросить у Telegram)' },
      { flags: '--days <дней>', description: 'срок действия приглашения', default: '7' },
    ],
    examples: ['invite admin', 'invite department roads --bot city_staff_bot'],
    needs: 'app',
    load: async () => (await import('../commands/invite.js')).inviteCommand,
  },
  {
    name: 'chats',
    summary: 'чаты, которые видел служебный бот: ID, название, для чего указаны в конфигурации',
    options: [{ flags: '--json', description: 'по одному объекту JSON в строке' }],
    examples: ['chats', 'chats --json'],
    needs: 'app',
    load: async () => (await import('../commands/chats.js')).chatsCommand,
  },
];
