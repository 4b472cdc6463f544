import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { deserializeModel, serializeModel } from '../../src/classify/codec.js';
import { evaluate } from '../../src/classify/metrics.js';
import { trainModel } from '../../src/classify/train.js';
import { predict } from '../../src/classify/model.js';
import { loadActiveModel, saveModel } from '../../src/classify/store.js';
import { syntheticSamples } from './synthetic.js';

const samples = syntheticSamples();
// Hold out every fifth sample: the model must generalize, not memorize.
const train = samples.filter((_, i) => i % 5 !== 0);
const test = samples.filter((_, i) => i % 5 === 0);

describe('offline model', () => {
  const model = trainModel(train, { version: 1, trainedAt: new Date('2025-03-01T00:00:00Z') });

  it('learns topics and departments of a small synthetic set', () => {
    const m = evaluate(model, test);
    expect(m.n).toBe(test.length);
    expect(m.topic_accuracy).toBeGreaterThanOrEqual(0.85);
    expect(m.department_accuracy).toBeGreaterThanOrEqual(0.85);
    expect(m.macro_f1_topic).toBeGreaterThan(0.8);
  });

  it('handles texts it has never seen, with HTML and ё', () => {
    const p = predict(model, '<p>Батареи&nbsp;холодные, отопления нет уже три дня</p>');
    expect(p.topic?.label).toBe('Отопление');
    expect(p.topic?.probability).toBeGreaterThan(0.3);
    expect(p.kind).toBeUndefined();
    const q = predict(model, 'Мусоровоз не приехал, контейнеры полные, всё разнесло ветром');
    expect(q.topic?.label).toBe('Вывоз мусора');
  });

  it('serializes compactly and predicts the same after a round trip', () => {
    const json = serializeModel(model);
    expect(json.length).toBeLessThan(2_000_000);
    const back = deserializeModel(json);
    expect(back.departmentBlend).toBeDefined();
    for (const s of test) {
      const [a, b] = [predict(back, s.text), predict(model, s.text)];
      expect(a.topic?.label).toBe(b.topic?.label);
      expect(a.department?.label).toBe(b.department?.label);
    }
  });

  it('reads a model stored without the department blend (older format)', () => {
    const json = JSON.parse(serializeModel(model)) as Record<string, unknown>;
    delete json.departmentBlend;
    const back = deserializeModel(JSON.stringify(json));
    expect(back.departmentBlend).toBeUndefined();
    const m = evaluate(back, test);
    expect(m.department_accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('rejects a foreign format', () => {
    expect(() => deserializeModel('{"format":"other"}')).toThrow();
  });
});

describe('model storage', () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openDb({ dataDir: 'memory://' });
  });
  afterAll(async () => h.close());

  it('stores versions; the newest is the active one', async () => {
    expect(await loadActiveModel(h.db)).toBeNull();
    await saveModel(h.db, trainModel(train, { version: 1 }));
    const v2 = trainModel(train, { version: 2 });
    v2.metrics = { topic_accuracy: 0.9 };
    await saveModel(h.db, v2);
    const loaded = await loadActiveModel(h.db);
    expect(loaded?.version).toBe(2);
    expect(loaded?.metrics).toEqual({ topic_accuracy: 0.9 });
    expect(predict(loaded!, 'яма на дороге у моста').topic?.label).toBe('Ямы на дорогах');
  });
});
