/** The calendar's Prometheus gauge: 1 while next year's holiday notice is missing (from 1 October). */
import { Gauge, type Registry } from 'prom-client';
import type { CalendarNotices } from './calendarNotices.ts';

export function registerCalendarGauge(registry: Registry, notices: CalendarNotices): void {
  new Gauge({
    name: 'govgraph_calendar_next_year_missing',
    help: 'Next year has neither official calendar data nor an entered State Council notice (from 1 October, China time): 1, else 0',
    registers: [registry],
    collect() {
      this.set(notices.warning() ? 1 : 0);
    },
  });
}
