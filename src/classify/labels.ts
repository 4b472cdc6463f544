import { asc } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { labels } from '../db/schema.js';
import type { Logger } from '../log.js';
import { noteNewLabel } from './corrections.js';
import type { Sample, TextModel } from './model.js';
import { trainModel } from './train.js';
import { nextModelVersion, saveModel } from './store.js';

export interface LabelInput {
  text: string;
  kind?: string | null;
  topic?: string | null;
  departmentCode?: string | null;
  origin: 'import' | 'moderator';
  incidentId?: number | null;
  at: Date;
}

/**
 * Stores one training label. The moderation workflow calls it on every confirm,
 * change or reject (a reject is `kind: 'noise'`), so the next retrain learns from it.
 */
export async function recordLabel(db: Db, label: LabelInput): Promise<void> {
  await db.insert(labels).values({
    text: label.text,
    kind: label.kind ?? null,
    topic: label.topic ?? null,
    departmentCode: label.departmentCode ?? null,
    origin: label.origin,
    incidentId: label.incidentId ?? null,
    createdAt: label.at,
  });
  noteNewLabel();
}

/** Stores imported history (CSV/XLSX rows) as labels in one statement per chunk. */
export async function importLabels(db: Db, samples: Sample[], at: Date): Promise<number> {
  const rows = samples.map((s) => ({
    text: s.text,
    kind: s.kind ?? null,
    topic: s.topic ?? null,
    departmentCode: s.department ?? null,
    origin: 'import',
    createdAt: at,
  }));
  for (let i = 0; i < rows.length; i += 500) await db.insert(labels).values(rows.slice(i, i + 500));
  return rows.length;
}

/**
 * Training samples from every label. For one incident only its newest moderator label
 * counts (a later correction overrides an earlier confirm and any import).
 */
export async function trainingSamples(db: Db): Promise<Sample[]> {
  const rows = await db.select().from(labels).orderBy(asc(labels.createdAt), asc(labels.id));
  const latestByIncident = new Map<number, (typeof rows)[number]>();
  const moderated = new Set(rows.flatMap((r) => (r.origin === 'moderator' && r.incidentId !== null ? [r.incidentId] : [])));
  const free: (typeof rows)[number][] = [];
  for (const r of rows) {
    if (r.incidentId !== null && r.origin === 'moderator') latestByIncident.set(r.incidentId, r);
    else if (r.incidentId === null || !moderated.has(r.incidentId)) free.push(r);
  }
  return [...free, ...latestByIncident.values()].map((r) => ({
    text: r.text,
    kind: r.kind,
    topic: r.topic,
    department: r.departmentCode,
  }));
}

export interface RetrainDeps {
  db: Db;
  clock: Clock;
  log?: Logger;
  /** `classifier.auto_precision` of the installation (default 0.9). */
  autoPrecision?: number;
  /** Progress of the training steps (the CLI draws a bar). */
  onProgress?: (done: number, total: number) => void;
}

/** Trains a new model version from all labels, measured on held-out folds, and stores it as active. */
export async function retrain(deps: RetrainDeps): Promise<TextModel | null> {
  const samples = await trainingSamples(deps.db);
  if (samples.length < 2) {
    deps.log?.info({ samples: samples.length }, 'retrain skipped: not enough labels');
    return null;
  }
  const started = Date.now();
  const version = await nextModelVersion(deps.db);
  const model = trainModel(samples, { version, trainedAt: deps.clock.now(), autoPrecision: deps.autoPrecision, onProgress: deps.onProgress });
  model.metrics = { ...model.metrics, train_ms: Date.now() - started };
  await saveModel(deps.db, model);
  deps.log?.info({ version: model.version, samples: samples.length }, 'classifier model retrained');
  return model;
}
