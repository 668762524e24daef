/**
 * Working days left until each due date (R5: a provider answers within N working days), from the
 * platform's working-day calendar (`workingDays(after:, count:)`), so holidays and adjusted
 * working days count as the deadline itself counted them. One request for all the dates.
 */
import { chinaToday, useQuery } from '../ui.tsx';

/** The furthest ahead counted; a due date further away shows no count. */
const HORIZON = 30;

const QUERY = /* GraphQL */ `
  query ConsoleWorkingDaysAhead($today: String!) {
    ${Array.from({ length: HORIZON }, (_, i) => `d${i + 1}: workingDays(after: $today, count: ${i + 1}) { date }`).join('\n    ')}
  }
`;

/**
 * For a due date: 0 when due today, n > 0 working days left, a negative number when past (−1
 * for any day past: the calendar is not asked backwards), undefined while loading or beyond
 * the horizon.
 */
export function useWorkingDaysLeft(): (dueDate: string | null) => number | undefined {
  const today = chinaToday();
  const value = useQuery<Record<string, { date: string }>>(QUERY, { today });
  return (dueDate) => {
    if (!dueDate) return undefined;
    if (dueDate < today) return -1;
    if (dueDate === today) return 0;
    if (value.state !== 'ok') return undefined;
    for (let k = 1; k <= HORIZON; k++) {
      const date = value.data[`d${k}`]?.date;
      if (date && date >= dueDate) return k;
    }
    return undefined;
  };
}
