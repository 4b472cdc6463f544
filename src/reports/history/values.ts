import { DateTime } from 'luxon';
import { STATUSES, type Status } from '../../domain/status.js';
import type { Outcome } from '../outcomes.js';

/** A cell as read from XLSX (Date, number, string) or CSV (string). */
export type RawCell = unknown;

const FORMATS = ['dd.MM.yyyy HH:mm:ss', 'dd.MM.yyyy HH:mm', 'dd.MM.yyyy', 'dd.MM.yy HH:mm', 'dd.MM.yy', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm', 'yyyy-MM-dd'];

/**
 * A date-time cell in the installation's zone. Excel stores wall-clock time, which
 * exceljs hands over as a Date whose UTC fields are that wall clock.
 */
export function parseDateCell(v: RawCell, zone: string): Date | null | 'bad' {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) {
    const dt = DateTime.fromObject(
      { year: v.getUTCFullYear(), month: v.getUTCMonth() + 1, day: v.getUTCDate(), hour: v.getUTCHours(), minute: v.getUTCMinutes(), second: v.getUTCSeconds() },
      { zone },
    );
    return dt.isValid ? dt.toJSDate() : 'bad';
  }
  const s = String(v).trim();
  if (!s) return null;
  for (const f of FORMATS) {
    const dt = DateTime.fromFormat(s, f, { zone });
    if (dt.isValid) return dt.toJSDate();
  }
  const iso = DateTime.fromISO(s, { zone });
  return iso.isValid ? iso.toJSDate() : 'bad';
}

/** «Время первого ответа» as a duration after creation («2:15», «135 мин»), when it is not a date. */
export function parseDurationMin(v: RawCell): number | null {
  const s = String(v ?? '').trim();
  const hm = /^(\d{1,4}):(\d{2})(?::\d{2})?$/.exec(s);
  if (hm) return Number(hm[1]) * 60 + Number(hm[2]);
  const min = /^(\d+)\s*мин/.exec(s);
  return min ? Number(min[1]) : null;
}

const STATUS_WORDS: Array<[RegExp, Status]> = [
  [/дубл/, 'duplicate'],
  [/не инцидент|отклон/, 'rejected'],
  [/компетенц|перенаправ|переадрес/, 'redirected'],
  [/промежут/, 'interim'],
  [/готов|не опубликова|ожида\S* публикац/, 'ready'],
  [/закрыт|выполнен|решен|завершен/, 'closed'],
  [/ответ|отвечен/, 'answered'],
  [/работ/, 'in_work'],
  [/назнач/, 'assigned'],
  [/нов/, 'new'],
];

/** Status name of the incumbent system (or ours in Russian or English), or null when unknown. */
export function parseStatus(v: RawCell): Status | null {
  const s = String(v ?? '').toLowerCase().replace(/ё/g, 'е').trim();
  return STATUS_WORDS.find(([re]) => re.test(s))?.[1] ?? ((STATUSES as readonly string[]).includes(s) ? (s as Status) : null);
}

const OUTCOME_WORDS: Array<[RegExp, Outcome]> = [
  [/не поддерж/, 'not_supported'],
  [/поддерж|меры приняты/, 'supported'],
  [/разъясн/, 'explained'],
  [/компетенц/, 'redirected'],
  [/рассмотрен/, 'pending'],
];

/** Outcome («Результат») to a code, or null when empty or unknown. */
export function parseOutcome(v: RawCell): Outcome | null {
  const s = String(v ?? '').toLowerCase().replace(/ё/g, 'е').trim();
  return OUTCOME_WORDS.find(([re]) => re.test(s))?.[1] ?? null;
}

/** «Источник» (or the link's host) to a channel key. */
export function parseChannel(source: RawCell, url: string | null): string {
  const s = `${String(source ?? '')} ${url ?? ''}`.toLowerCase();
  if (/вконтакт|(^|[^а-я])вк([^а-я]|$)|\bvk\b|vk\.com|vk\.ru/.test(s)) return 'vk';
  if (/одноклассн|(^|[^а-я])ок([^а-я]|$)|\bok\b|ok\.ru/.test(s)) return 'ok';
  if (/телеграм|telegram|t\.me/.test(s)) return 'telegram';
  const given = String(source ?? '').trim();
  return !given || /импорт|файл/i.test(given) ? 'file' : given;
}
