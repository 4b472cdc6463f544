import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, STATUSES, TransitionError, type Status } from '../../src/domain/status.js';

describe('incident transitions', () => {
  const allowed: Array<[Status, Status]> = [
    ['new', 'assigned'],
    ['new', 'rejected'],
    ['new', 'duplicate'],
    ['new', 'redirected'],
    ['assigned', 'in_work'],
    ['assigned', 'assigned'],
    ['in_work', 'interim'],
    ['in_work', 'answered'],
    ['interim', 'answered'],
    ['answered', 'closed'],
    ['answered', 'in_work'],
    ['closed', 'in_work'],
    ['rejected', 'new'],
  ];
  const forbidden: Array<[Status, Status]> = [
    ['new', 'closed'],
    ['new', 'in_work'],
    ['new', 'interim'],
    ['closed', 'answered'],
    ['rejected', 'assigned'],
    ['duplicate', 'answered'],
    ['answered', 'new'],
    ['interim', 'new'],
  ];
  it.each(allowed)('%s → %s is allowed', (from, to) => expect(canTransition(from, to)).toBe(true));
  it.each(forbidden)('%s → %s is refused', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(TransitionError);
  });
  it('rejecting needs a reason, redirecting needs an authority', () => {
    expect(() => assertTransition('new', 'rejected')).toThrow(/reason/);
    expect(() => assertTransition('new', 'rejected', { reason: 'реклама' })).not.toThrow();
    expect(() => assertTransition('new', 'redirected')).toThrow(/authority/);
    expect(() => assertTransition('new', 'redirected', { to: 'Роспотребнадзор' })).not.toThrow();
  });
  it('every status has at least one way out', () => {
    for (const s of STATUSES) expect(STATUSES.some((t) => canTransition(s, t))).toBe(true);
  });
});
