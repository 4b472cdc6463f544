import { readFileSync, statSync } from 'node:fs';
import cron from 'node-cron';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CHANNELS } from '../domain/post.js';
import { ConfigError } from './config-error.js';

const code = z.string().regex(/^[a-z0-9_-]+$/, 'lowercase latin letters, digits, _ or -');

/** Hours and days are bounded so every deadline can be computed on the calendar (a year at most). */
const HOURS_MAX = 8760;
const hours = () => z.number().positive().max(HOURS_MAX, `at most ${HOURS_MAX} hours (a year)`);
/** Time of day `HH:MM`, 00:00–23:59. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:MM from 00:00 to 23:59');
/** A cron line as node-cron runs it (5 or 6 fields). */
const cronLine = z.string().superRefine((value, ctx) => {
  const check = cron.validateDetailed(value);
  if (!check.valid) ctx.addIssue({ code: 'custom', message: `invalid cron line "${value}": ${check.errors?.[0]?.message ?? 'not a cron expression'}` });
});
/** Seconds between polls: stored as a 32-bit integer; a month is already more than anyone needs. */
const INTERVAL_MAX = 30 * 24 * 3600;

const department = z.strictObject({
  code,
  name: z.string().min(1),
  /** Telegram chat where this department works its incidents. */
  chat: z.union([z.string(), z.number()]).transform(String).optional(),
});

const topic = z.strictObject({
  group: z.string().min(1),
  name: z.string().min(1),
  /** Lowercase word stems; a text containing one matches the topic (rules classifier). */
  keywords: z.array(z.string().min(2)).default([]),
  department: code.optional(),
  priority: z.enum(['high', 'normal', 'low']).default('normal'),
  sla_hours: hours().optional(),
});

const place = z.strictObject({
  name: z.string().min(1),
  /** Other spellings and word stems ("сеймск"). */
  aliases: z.array(z.string()).default([]),
  /** Department that answers for this place (district administration), if any. */
  department: code.optional(),
});

const routingRule = z.strictObject({
  /** Human name shown in explanations. */
  name: z.string().optional(),
  when: z.strictObject({
    topic: z.string().optional(),
    group: z.string().optional(),
    district: z.string().optional(),
    settlement: z.string().optional(),
    keywords: z.array(z.string()).optional(),
  }),
  department: code,
});

const source = z.strictObject({
  channel: z.enum(CHANNELS),
  kind: z.string().min(1),
  ref: z.union([z.string(), z.number()]).transform(String),
  name: z.string().optional(),
  enabled: z.boolean().default(true),
  /** Seconds between polls of this source. */
  interval: z.number().int().positive().max(INTERVAL_MAX, `at most ${INTERVAL_MAX} seconds (30 days)`).default(300),
  options: z.record(z.string(), z.unknown()).default({}),
});

const chatId = z.union([z.string(), z.number()]).transform(String);

export const installationSchema = z.strictObject({
  /** IANA zone all working hours and reports are counted in. */
  timezone: z.string().default('Europe/Moscow'),
  territory: z.strictObject({
    name: z.string().min(1),
    /** Names that make a search hit relevant ("Курск", "курян"). */
    places: z.array(z.string()).default([]),
    /** Words that make a search hit irrelevant (namesakes, ads). */
    stop_words: z.array(z.string()).default([]),
    districts: z.array(place).default([]),
    settlements: z.array(place).default([]),
    streets: z.array(z.string()).default([]),
  }),
  departments: z.array(department).min(1).superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((d, i) => {
      if (seen.has(d.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `duplicate department code "${d.code}"` });
      seen.add(d.code);
    });
  }),
  default_department: code,
  topics: z.array(topic).default([]),
  routing: z.array(routingRule).default([]),
  sla: z
    .strictObject({
      /** Hours to the first public answer when a topic sets none. */
      default_hours: hours().default(24),
      /** `working`: count working hours of the production calendar; `calendar`: every hour counts. */
      mode: z.enum(['working', 'calendar']).default('working'),
      work_start: clockTime.default('09:00'),
      work_end: clockTime.default('18:00'),
      /** Days for the full answer after an interim one. */
      interim_days: z.number().positive().max(365, 'at most 365 days').default(7),
      /** Warn the department this many hours before the deadline. */
      remind_before_hours: z.number().nonnegative().max(HOURS_MAX, `at most ${HOURS_MAX} hours (a year)`).default(2),
    })
    .refine((sla) => sla.work_start < sla.work_end, { path: ['work_end'], message: 'the working day must end after it starts (work_start < work_end)' })
    .prefault({}),
  dedupe: z
    .strictObject({
      /** Open incidents younger than this are candidates for a merge. */
      window_hours: hours().default(72),
      /** Word-shingle similarity (0..1) above which two texts are one problem. */
      threshold: z.number().min(0).max(1).default(0.6),
    })
    .prefault({}),
  sources: z.array(source).default([]),
  classifier: z
    .strictObject({
      /**
       * Precision (0.5–0.99) the trained model must have reached on held-out texts for
       * its topic and department to be taken without a moderator; below it, a person looks.
       */
      auto_precision: z.number().min(0.5).max(0.99).default(0.9),
    })
    .prefault({}),
  chats: z
    .strictObject({
      moderators: chatId.optional(),
      press: chatId.optional(),
      managers: chatId.optional(),
      admins: chatId.optional(),
    })
    .prefault({}),
  schedule: z
    .strictObject({
      /** cron: poll due sources. */
      poll: cronLine.default('* * * * *'),
      /** cron: remind and escalate deadlines. */
      deadlines: cronLine.default('*/10 * * * *'),
      /** cron: morning digest of open incidents to each department's chat (sent on working days only). */
      digest: cronLine.default('30 8 * * *'),
      /** cron: weekly report to managers (Monday 09:00). */
      weekly_report: cronLine.default('0 9 * * 1'),
      /** cron: retrain the model on moderators' labels. */
      retrain: cronLine.default('0 3 * * *'),
    })
    .prefault({}),
  reports: z
    .strictObject({
      /** Departments with fewer incidents in the week are left out of the on-time ranking. */
      min_incidents: z.number().int().min(1).default(3),
    })
    .prefault({}),
});

export type Installation = z.infer<typeof installationSchema>;
export type DepartmentConfig = z.infer<typeof department>;
export type TopicConfig = z.infer<typeof topic>;
export type PlaceConfig = z.infer<typeof place>;
export type RoutingRuleConfig = z.infer<typeof routingRule>;
export type SourceConfig = z.infer<typeof source>;

export { ConfigError };

/** Formats the first zod issue as one line: `<file>: <key.path>: <what was expected>`. */
export function describeIssue(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${where}: invalid`;
  const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  return `${where}: ${path}: ${issue.message}`;
}

/** Validates a parsed YAML/JSON object; throws ConfigError with a one-line message. */
export function parseInstallation(data: unknown, where = 'config'): Installation {
  const result = installationSchema.safeParse(data);
  if (!result.success) throw new ConfigError(describeIssue(where, result.error), { cause: result.error });
  const cfg = result.data;
  checkReferences(cfg, where);
  return cfg;
}

function checkReferences(cfg: Installation, where: string): void {
  const codes = new Set(cfg.departments.map((d) => d.code));
  const fail = (path: string, value: string) => {
    throw new ConfigError(`${where}: ${path}: unknown department "${value}" (known: ${[...codes].join(', ')})`);
  };
  if (!codes.has(cfg.default_department)) fail('default_department', cfg.default_department);
  cfg.topics.forEach((t, i) => t.department && !codes.has(t.department) && fail(`topics.${i}.department`, t.department));
  cfg.routing.forEach((r, i) => !codes.has(r.department) && fail(`routing.${i}.department`, r.department));
  for (const key of ['districts', 'settlements'] as const) {
    cfg.territory[key].forEach(
      (p, i) => p.department && !codes.has(p.department) && fail(`territory.${key}.${i}.department`, p.department),
    );
  }
  if (!isValidTimeZone(cfg.timezone)) throw new ConfigError(`${where}: timezone: unknown time zone "${cfg.timezone}"`);
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const MAX_CONFIG_BYTES = 5_000_000;

/** Reads and validates the installation YAML at `path`. */
export function loadInstallation(path: string): Installation {
  let text: string;
  try {
    // A config is a few hundred KB at most; a huge file is a mistake (or an attack) to refuse before parsing.
    if (statSync(path).size > MAX_CONFIG_BYTES) throw new ConfigError(`${path}: the installation config is larger than ${MAX_CONFIG_BYTES / 1_000_000} MB`);
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    throw new ConfigError(`${path}: cannot read the installation config (OTKLIK_CONFIG)`, { cause });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (cause) {
    throw new ConfigError(`${path}: not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  return parseInstallation(data, path);
}
