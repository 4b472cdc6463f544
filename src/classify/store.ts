import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { classifierModels } from '../db/schema.js';
import { deserializeModel, serializeModel } from './codec.js';
import type { TextModel } from './model.js';

/** Next version number for a new model (1 for the first). */
export async function nextModelVersion(db: Db): Promise<number> {
  const [row] = await db.select({ v: sql<number>`coalesce(max(${classifierModels.version}), 0)` }).from(classifierModels);
  return Number(row?.v ?? 0) + 1;
}

/** Stores the model as the only active one; returns its row id. */
export async function saveModel(db: Db, model: TextModel): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.update(classifierModels).set({ active: false }).where(eq(classifierModels.active, true));
    const [row] = await tx
      .insert(classifierModels)
      .values({
        version: model.version,
        trainedAt: new Date(model.trainedAt),
        samples: model.samples,
        metrics: model.metrics,
        data: serializeModel(model),
        active: true,
      })
      .returning({ id: classifierModels.id });
    return row?.id ?? 0;
  });
}

/** The newest active model, or null when none was trained yet. */
export async function loadActiveModel(db: Db): Promise<TextModel | null> {
  const [row] = await db
    .select({ data: classifierModels.data })
    .from(classifierModels)
    .where(eq(classifierModels.active, true))
    .orderBy(desc(classifierModels.version))
    .limit(1);
  return row ? deserializeModel(row.data) : null;
}
