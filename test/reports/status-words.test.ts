import { describe, expect, it } from 'vitest';
import { STATUSES, STATUS_LABELS } from '../../src/domain/status.js';
import { parseStatus } from '../../src/reports/history/values.js';

describe('history import: status names', () => {
  it('every status, by its code and by the Russian name the export writes, reads back as itself (ready included)', () => {
    for (const s of STATUSES) {
      expect(parseStatus(s), s).toBe(s);
      expect(parseStatus(STATUS_LABELS[s]), STATUS_LABELS[s]).toBe(s);
    }
    expect(parseStatus('Ожидает публикации')).toBe('ready');
    expect(parseStatus('что-то своё')).toBeNull();
  });
});
