import type { WorkCalendar } from './calendar.js';

/** `working`: only working hours of the production calendar count; `calendar`: every hour counts. */
export type SlaMode = 'working' | 'calendar';

export interface DeadlineInput {
  /** When the clock starts (usually when the post was published or detected). */
  from: Date;
  hours: number;
  mode: SlaMode;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The moment the answer is due. */
export function computeDeadline(input: DeadlineInput, calendar: WorkCalendar): Date {
  if (input.mode === 'working') return calendar.addWorkingHours(input.from, input.hours);
  return new Date(input.from.getTime() + Math.round(input.hours * HOUR));
}

/**
 * Whether the deadline was missed: an answer counts as late only if given after
 * the deadline; without an answer, the incident is overdue once `now` passes it.
 */
export function isOverdue(deadline: Date, answeredAt: Date | null, now: Date): boolean {
  const at = answeredAt ?? now;
  return at.getTime() > deadline.getTime();
}

/**
 * Deadline for the full answer after an interim one: calendar days, as the
 * regulations state them (e.g. Crimea: 7 days). Counted as 24-hour days: the
 * Russian zones have no DST, so this equals the same local time `days` later.
 */
export function interimFollowupDeadline(interimAt: Date, days: number): Date {
  return new Date(interimAt.getTime() + Math.round(days * DAY));
}

/** When to remind the department: `hoursBefore` hours before the deadline, counted in the same mode as the deadline. */
export function remindAt(deadline: Date, hoursBefore: number, mode: SlaMode, calendar: WorkCalendar): Date {
  if (mode === 'working') return calendar.addWorkingHours(deadline, -hoursBefore);
  return new Date(deadline.getTime() - Math.round(hoursBefore * HOUR));
}
