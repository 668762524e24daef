/**
 * Working days left until each due date (R5: a provider answers within N working days), from the
 * platform's working-day calendar (`workingDays(after:, count:)`), so holidays and adjusted
 * working days count as the deadline itself counted them. One request for all the dates.
 */
import { chinaToday, useQuery } from '../ui.tsx';

/** Root fields one request may have (the operation limit `rootFields`, 10 by default). */
const PER_REQUEST = 10;
/** The furthest ahead counted (two requests); a due date further away shows no count. */
const HORIZON = 2 * PER_REQUEST;

const queryOf = (first: number) => /* GraphQL */ `
  query ConsoleWorkingDaysAhead($today: String!) {
    ${Array.from({ length: PER_REQUEST }, (_, i) => `d${first + i}: workingDays(after: $today, count: ${first + i}) { date }`).join('\n    ')}
  }
`;
const NEAR = queryOf(1);
const FAR = queryOf(PER_REQUEST + 1);

/**
 * For a due date: 0 when due today, n > 0 working days left, a negative number when past (−1
 * for any day past: the calendar is not asked backwards), undefined while loading or beyond
 * the horizon.
 */
export function useWorkingDaysLeft(): (dueDate: string | null) => number | undefined {
  const today = chinaToday();
  const near = useQuery<Record<string, { date: string }>>(NEAR, { today });
  const far = useQuery<Record<string, { date: string }>>(FAR, { today });
  return (dueDate) => {
    if (!dueDate) return undefined;
    if (dueDate < today) return -1;
    if (dueDate === today) return 0;
    if (near.state !== 'ok') return undefined;
    const days = { ...near.data, ...(far.state === 'ok' ? far.data : {}) };
    for (let k = 1; k <= HORIZON; k++) {
      const date = days[`d${k}`]?.date;
      if (date && date >= dueDate) return k;
    }
    return undefined;
  };
}
