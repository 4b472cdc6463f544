import { createHash } from 'node:crypto';
import type { IncidentAddress } from '../../db/schema.js';
import type { Status } from '../../domain/status.js';
import type { Outcome } from '../outcomes.js';
import type { ImField } from './columns.js';
import { parseChannel, parseDateCell, parseDurationMin, parseOutcome, parseStatus, type RawCell } from './values.js';

/** One incident of an incumbent export, checked and typed. */
export interface ImportRecord {
  /** The incumbent's number, or a stable hash of date and text when the file has none. */
  externalNumber: string;
  createdAt: Date;
  closedAt: Date | null;
  firstAnswerAt: Date | null;
  group: string | null;
  topic: string | null;
  /** Executors as given (department names or codes), first = main. */
  executors: string[];
  address: IncidentAddress;
  url: string | null;
  channel: string;
  text: string;
  status: Status;
  outcome: Outcome | null;
}

export type ParsedRow = { ok: true; record: ImportRecord } | { ok: false; reason: string };

const str = (v: RawCell): string | null => {
  const s = v === null || v === undefined ? '' : String(v).replace(/\s+/g, ' ').trim();
  return s || null;
};

/** Checks one row (field → cell) and turns it into an ImportRecord, or names why it cannot be imported. */
export function parseRow(row: Partial<Record<ImField, RawCell>>, zone: string): ParsedRow {
  const text = str(row.text);
  if (!text) return { ok: false, reason: 'пустой текст инцидента' };
  const created = parseDateCell(row.created, zone);
  if (created === 'bad' || created === null) return { ok: false, reason: created === null ? 'нет даты создания' : `неверная дата создания «${str(row.created)}»` };
  const closed = parseDateCell(row.closed, zone);
  if (closed === 'bad') return { ok: false, reason: `неверная дата закрытия «${str(row.closed)}»` };
  const first = firstAnswer(row.firstAnswer, created, zone);
  if (first === 'bad') return { ok: false, reason: `неверное время первого ответа «${str(row.firstAnswer)}»` };
  const status = row.status !== undefined && str(row.status) ? parseStatus(row.status) : impliedStatus(closed, first);
  if (!status) return { ok: false, reason: `неизвестный статус «${str(row.status)}»` };
  const url = str(row.url);
  const number = str(row.number);
  return {
    ok: true,
    record: {
      externalNumber: number ?? `hash:${createHash('sha1').update(`${created.toISOString()}|${text}`).digest('hex').slice(0, 16)}`,
      createdAt: created,
      closedAt: closed,
      firstAnswerAt: first,
      group: str(row.group),
      topic: str(row.topic),
      executors: (str(row.executors) ?? '').split(/[;\n]/).map((s) => s.trim()).filter(Boolean),
      address: compact({ region: str(row.region), municipality: str(row.municipality), settlement: str(row.settlement), street: str(row.street), house: str(row.house) }),
      url,
      channel: parseChannel(row.source, url),
      text,
      status,
      outcome: parseOutcome(row.outcome),
    },
  };
}

/** A date-time, or a duration after creation; null when empty. */
function firstAnswer(v: RawCell, created: Date, zone: string): Date | null | 'bad' {
  const d = parseDateCell(v, zone);
  if (d !== 'bad') return d;
  const min = parseDurationMin(v);
  return min === null ? 'bad' : new Date(created.getTime() + min * 60_000);
}

/** Without a status column: closed if it has a closing date, answered if it has an answer, else new. */
function impliedStatus(closed: Date | null, first: Date | null): Status {
  return closed ? 'closed' : first ? 'answered' : 'new';
}

function compact(o: Record<string, string | null>): IncidentAddress {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null)) as IncidentAddress;
}
