import { parseDocument, type Document } from 'yaml';
import { slugify } from 'transliteration';
import type { Installation } from '../config/installation.js';
import type { Sample } from './model.js';
import { createTaxonomy } from './taxonomy.js';

/**
 * A labelled history against the installation's taxonomy: how much of it the config
 * knows, and adopting the rest into the config file. The YAML config stays the source
 * of truth (the database is synced from it), so adopting edits the file, keeping its
 * comments and layout (yaml's Document API).
 */

export interface HistoryTaxonomy {
  /** Topics of the file, most frequent first, with their group when the file has one. */
  topics: Array<{ name: string; group: string | null; count: number }>;
  departments: Array<{ name: string; count: number }>;
}

export interface TaxonomyMatch {
  topics: { total: number; matched: number; missing: string[] };
  departments: { total: number; matched: number; missing: string[] };
}

/** Group of topics whose history names none. */
export const DEFAULT_GROUP = 'Из истории обращений';

function counted(values: (string | null | undefined)[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) if (v) m.set(v, (m.get(v) ?? 0) + 1);
  return new Map([...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export function historyTaxonomy(samples: Sample[]): HistoryTaxonomy {
  const groupOf = new Map<string, string>();
  for (const s of samples) if (s.topic && s.group && !groupOf.has(s.topic)) groupOf.set(s.topic, s.group);
  return {
    topics: [...counted(samples.map((s) => s.topic))].map(([name, count]) => ({ name, group: groupOf.get(name) ?? null, count })),
    departments: [...counted(samples.map((s) => s.department))].map(([name, count]) => ({ name, count })),
  };
}

/** Which of the history's topics and departments (by code or name) the installation has. */
export function matchTaxonomy(history: HistoryTaxonomy, installation: Installation): TaxonomyMatch {
  const tax = createTaxonomy(installation);
  const known = tax.topicNames();
  const lower = new Set([...known].map((n) => n.toLowerCase().replace(/ё/g, 'е')));
  const topicMissing = history.topics.filter((t) => !lower.has(t.name.toLowerCase().replace(/ё/g, 'е').trim())).map((t) => t.name);
  const deptMissing = history.departments.filter((d) => tax.department(d.name) === null).map((d) => d.name);
  return {
    topics: { total: history.topics.length, matched: history.topics.length - topicMissing.length, missing: topicMissing },
    departments: { total: history.departments.length, matched: history.departments.length - deptMissing.length, missing: deptMissing },
  };
}

/** A latin department code from a Russian name («Администрация города Льгов» → `administraciya_goroda_lgov`), unique among `taken`. */
export function departmentCode(name: string, taken: Set<string>): string {
  const base = (slugify(name, { separator: '_', lowercase: true }).replace(/[^a-z0-9_-]/g, '').slice(0, 48).replace(/_+$/, '') || 'department');
  let code = base;
  for (let i = 2; taken.has(code); i++) code = `${base}_${i}`;
  taken.add(code);
  return code;
}

export interface Adoption {
  /** The new config text. */
  text: string;
  topics: Array<{ name: string; group: string }>;
  departments: Array<{ code: string; name: string }>;
}

function ensureSeq(doc: Document, key: string): void {
  if (!doc.has(key) || doc.get(key) === null) doc.set(key, doc.createNode([]));
}

/**
 * Adds the history's missing topics (with groups) and departments (latin codes) to the
 * config text. Topics get no department: in a history the department follows the topic
 * only loosely, and the trained model suggests it per text.
 */
export function adoptIntoConfig(configText: string, history: HistoryTaxonomy, installation: Installation): Adoption {
  const match = matchTaxonomy(history, installation);
  const doc = parseDocument(configText);
  const taken = new Set(installation.departments.map((d) => d.code));
  const departments = match.departments.missing.map((name) => ({ code: departmentCode(name, taken), name }));
  const missing = new Set(match.topics.missing);
  const topics = history.topics.filter((t) => missing.has(t.name)).map((t) => ({ name: t.name, group: t.group ?? DEFAULT_GROUP }));
  if (departments.length) ensureSeq(doc, 'departments');
  for (const d of departments) doc.addIn(['departments'], doc.createNode(d));
  if (topics.length) ensureSeq(doc, 'topics');
  for (const t of topics) doc.addIn(['topics'], doc.createNode({ group: t.group, name: t.name }));
  return { text: doc.toString({ lineWidth: 0 }), topics, departments };
}
