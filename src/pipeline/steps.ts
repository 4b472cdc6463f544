import { getTableColumns } from 'drizzle-orm';
import { posts } from '../db/schema.js';
import type { Classification } from '../domain/classification.js';

/** Named points between steps; tests throw there to simulate a crash. */
export type PipelineStep = 'fetched' | 'stored' | 'classified' | 'decided';

/** What a `faults` hook throws is a simulated crash: it must end the run, never be skipped like a bad post. */
export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

/** Calls the test hook at a named point between steps. */
export function crashPoint(faults: ((step: PipelineStep) => void) | undefined, step: PipelineStep): void {
  try {
    faults?.(step);
  } catch (err) {
    throw new SimulatedCrash((err as Error).message, { cause: err });
  }
}

/** The decision when no classifier answered: a complaint for moderators. */
export const UNSURE: Classification = { kind: 'complaint', topic: null, confidence: 0, by: 'none', needsReview: true, explanation: 'классификатор недоступен' };


const { raw: _raw, replyTarget: _replyTarget, ...pendingColumns } = getTableColumns(posts);
/** The columns deciding a post reads: everything but the network's raw JSON and the reply target. */
export const PENDING_COLUMNS = pendingColumns;
/** A stored post as the decide step sees it. */
export type PendingPost = Omit<typeof posts.$inferSelect, 'raw' | 'replyTarget'>;
