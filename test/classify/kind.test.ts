import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/classify/metrics.js';
import { predict } from '../../src/classify/model.js';
import { trainModel } from '../../src/classify/train.js';
import { syntheticKindSamples } from './synthetic.js';

describe('the kind head learns incidents from non-incidents', () => {
  const samples = syntheticKindSamples();
  // Every fifth text held out: the measure is on texts the model did not see.
  const train = samples.filter((_, i) => i % 5 !== 0);
  const test = samples.filter((_, i) => i % 5 === 0);
  const model = trainModel(train);

  it('trains a kind head when the history has kinds', () => {
    expect(model.heads.kind?.labels).toEqual(['complaint', 'noise', 'thanks']);
  });

  it('detects incidents on held-out texts with high recall and specificity', () => {
    const m = evaluate(model, test);
    expect(m.incident_recall).toBeGreaterThanOrEqual(0.9);
    expect(m.incident_specificity).toBeGreaterThanOrEqual(0.75);
  });

  it('an advert the lexicon does not know is learned as noise', () => {
    expect(predict(model, 'продаю гараж, звоните вечером').kind?.label).toBe('noise');
  });

  it('no kind column: detection is not measured', () => {
    const m = evaluate(model, test.map((s) => ({ ...s, kind: null })));
    expect(m.incident_recall).toBeNull();
    expect(m.incident_specificity).toBeNull();
  });
});
