/**
 * Incident lifecycle. One table of allowed moves, checked in one place
 * (`assertTransition`); every move is written as one incident_events row.
 */
export const STATUSES = [
  'new', // awaiting moderation
  'assigned', // given to a department
  'in_work', // the department took it
  'interim', // interim public answer given; follow-up clock running
  'ready', // the department answered; the public answer is ready but not yet published
  'answered', // public answer published
  'closed',
  'rejected', // not an incident (reason required)
  'redirected', // another authority («направлено по компетенции»)
  'duplicate', // merged into another incident
] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses in which the incident still waits for work or an answer. */
export const OPEN_STATUSES: readonly Status[] = ['new', 'assigned', 'in_work', 'interim', 'ready'];
/** Statuses that end the incident. */
export const FINAL_STATUSES: readonly Status[] = ['closed', 'rejected', 'redirected', 'duplicate'];

const MOVES: Record<Status, readonly Status[]> = {
  new: ['assigned', 'rejected', 'redirected', 'duplicate', 'answered'],
  assigned: ['in_work', 'assigned', 'interim', 'ready', 'answered', 'rejected', 'redirected', 'duplicate', 'new'],
  // `new` from in_work: the department says "not ours" and the incident goes back to moderators.
  in_work: ['interim', 'ready', 'answered', 'assigned', 'redirected', 'duplicate', 'rejected', 'new'],
  interim: ['ready', 'answered', 'in_work', 'closed'],
  ready: ['answered', 'in_work', 'interim'],
  answered: ['closed', 'in_work'],
  closed: ['in_work'],
  rejected: ['new'],
  redirected: ['closed', 'new'],
  duplicate: ['new'],
};

export function isOpen(status: Status): boolean {
  return OPEN_STATUSES.includes(status);
}

export function canTransition(from: Status, to: Status): boolean {
  return MOVES[from].includes(to);
}

export class TransitionError extends Error {
  constructor(
    readonly from: Status,
    readonly to: Status,
  ) {
    super(`incident cannot move from "${from}" to "${to}"`);
    this.name = 'TransitionError';
  }
}

/** Throws TransitionError unless `from → to` is allowed; reasons are required for side exits. */
export function assertTransition(from: Status, to: Status, data: { reason?: string | null; to?: string | null } = {}): void {
  if (!canTransition(from, to)) throw new TransitionError(from, to);
  if (to === 'rejected' && !data.reason) throw new Error('rejecting an incident needs a reason');
  if (to === 'redirected' && !data.to) throw new Error('redirecting an incident needs the authority it goes to');
}

/** Russian names for the bot and reports. */
export const STATUS_LABELS: Record<Status, string> = {
  new: 'Новый',
  assigned: 'Назначен',
  in_work: 'В работе',
  interim: 'Промежуточный ответ',
  ready: 'Ответ готов, не опубликован',
  answered: 'Ответ дан',
  closed: 'Закрыт',
  rejected: 'Не инцидент',
  redirected: 'Направлен по компетенции',
  duplicate: 'Дубликат',
};
