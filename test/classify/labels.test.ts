import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { createClassifier } from '../../src/classify/index.js';
import { importLabels, recordLabel, retrain, trainingSamples } from '../../src/classify/labels.js';
import { testInstallation } from './fixtures.js';
import { silentLog, testClock, testEnv } from './helpers.js';
import { syntheticSamples } from './synthetic.js';

describe('moderators teach the model', () => {
  let h: DbHandle;
  const clock = testClock();
  beforeAll(async () => {
    h = await openDb({ dataDir: 'memory://' });
    await importLabels(h.db, syntheticSamples(), clock.now());
  });
  afterAll(async () => h.close());

  it('a later moderator label for the same incident overrides the earlier one', async () => {
    await recordLabel(h.db, { text: 'во дворе темно', topic: 'Вывоз мусора', origin: 'moderator', incidentId: 7, at: clock.now() });
    clock.advance(60_000);
    await recordLabel(h.db, { text: 'во дворе темно', topic: 'Уличное освещение', departmentCode: 'roads', origin: 'moderator', incidentId: 7, at: clock.now() });
    const mine = (await trainingSamples(h.db)).filter((s) => s.text === 'во дворе темно');
    expect(mine).toEqual([{ text: 'во дворе темно', topic: 'Уличное освещение', department: 'roads', kind: null }]);
  });

  it('corrections become labels and the retrained model uses them', async () => {
    const env = testEnv();
    const first = await retrain({ db: h.db, clock });
    expect(first?.version).toBe(1);
    const classifier = await createClassifier({ installation: testInstallation(), db: h.db, env, log: silentLog, clock });
    const probe = 'фонари на улице не горят, вечером ничего не видно';
    const before = await classifier.classify(probe);
    // Rules may guess it from the keyword «фонар», but the model does not know it yet.
    expect(before.by === 'model' && before.topic === 'Уличное освещение').toBe(false);

    const corrections = [
      'не горят фонари во дворе', 'уличное освещение не работает', 'фонарь мигает всю ночь', 'на улице темно, фонари выключены',
      'освещение на остановке не включают', 'сломан фонарный столб', 'нет освещения в переулке', 'фонари горят днем и не горят ночью',
    ];
    for (const [i, text] of corrections.entries()) {
      await recordLabel(h.db, { text, kind: 'complaint', topic: 'Уличное освещение', departmentCode: 'roads', origin: 'moderator', incidentId: 100 + i, at: clock.now() });
    }
    const second = await retrain({ db: h.db, clock });
    expect(second?.version).toBe(2);
    expect(second?.heads.topic?.labels).toContain('Уличное освещение');
    await classifier.reload();
    const after = await classifier.classify(probe);
    expect(after).toMatchObject({ topic: 'Уличное освещение', department: 'roads', by: 'model' });
    // The workflow's cards get the ranking with calibrated probabilities and the auto verdict.
    expect(after.topTopics?.[0]).toMatchObject({ name: 'Уличное освещение' });
    expect(after.topTopics?.length).toBeGreaterThan(1);
    expect(after.topDepartments?.[0]).toMatchObject({ code: 'roads' });
    expect(typeof after.auto).toBe('boolean');
    expect(after.needsReview).toBe(!after.auto);
  });
});
