import type { Logger } from '../log.js';
import { createWorkCalendar, loadCalendar, type CalendarData, type WorkCalendar } from './calendar.js';

/** The part of the installation config the calendar needs. */
export interface CalendarConfig {
  timezone: string;
  sla: { work_start: string; work_end: string };
}

export interface WorkCalendarDeps {
  log: Pick<Logger, 'warn'>;
  /** Already loaded data; default: the files in config/calendar. */
  data?: CalendarData;
}

/**
 * The calendar as the application uses it: installation hours and zone, the
 * shipped production-calendar data, and one warning per year the data lacks.
 */
export function workCalendarFromConfig(cfg: CalendarConfig, deps: WorkCalendarDeps): WorkCalendar {
  return createWorkCalendar({
    timezone: cfg.timezone,
    workStart: cfg.sla.work_start,
    workEnd: cfg.sla.work_end,
    data: deps.data ?? loadCalendar(),
    onUncoveredYear: (year) =>
      deps.log.warn(
        { year },
        `production calendar has no data for ${year}: deadlines use weekends and art. 112 holidays only; add config/calendar/ru-${year}.json`,
      ),
  });
}
