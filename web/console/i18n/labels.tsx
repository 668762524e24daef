/**
 * The names people read for the codes the API speaks: sharing classes, statuses, purposes,
 * kinds, notification kinds, departments — Chinese by default, the code kept in a tooltip or
 * in small text beside it (people quote codes to each other and to the API).
 */
import { useMemo } from 'react';
import { formatTime, lastValidDate } from '../format.ts';
import { Badge, useSession } from '../ui.tsx';
import { COMMON, type CommonKey } from './common.ts';
import type { Translate } from './defineMessages.ts';
import { useMessages } from './I18nProvider.tsx';

type Group = 'class' | 'access' | 'status' | 'kind' | 'notification' | 'purpose';

export interface Labels {
  readonly t: Translate<CommonKey>;
  /** The name of a code in a group, or the code itself when the catalogue has none. */
  of(group: Group, code: string): string;
  purpose(code: string): string;
  department(code: string): string;
}

function has(key: string): key is CommonKey {
  return key in COMMON['zh-CN'];
}

export function useLabels(): Labels {
  const t = useMessages(COMMON);
  const { session } = useSession();
  return useMemo(() => {
    const of = (group: Group, code: string) => {
      const key = `${group}.${code}`;
      return has(key) ? t(key) : code;
    };
    return {
      t,
      of,
      // Purposes and departments are data: their Chinese names come from the platform.
      purpose: (code) => (t.locale === 'zh-CN' ? session.purposes.find((p) => p.code === code)?.name : undefined) ?? of('purpose', code),
      department: (code) => {
        const d = session.departments.find((x) => x.code === code);
        return d ? (t.locale === 'zh-CN' ? d.name : d.nameEn || d.name) : code;
      },
    };
  }, [t, session]);
}

/** A badge with the code's name, the code in its tooltip, and — with `showCode` — in small text. */
export function CodeBadge({ group, value, showCode, testId }: { group: Group; value: string; showCode?: boolean; testId?: string }) {
  const { of } = useLabels();
  return (
    <span className="code-badge" title={value} data-testid={testId}>
      <Badge value={value} label={of(group, value)} />
      {showCode && <small className="code muted">{value}</small>}
    </span>
  );
}

/** A purpose by its name, its code in the tooltip. */
export function PurposeName({ code }: { code: string }) {
  const { purpose } = useLabels();
  return <span title={code}>{purpose(code)}</span>;
}

/** A list of purposes by name. */
export function PurposeList({ codes }: { codes: readonly string[] }) {
  const { purpose } = useLabels();
  if (codes.length === 0) return <span className="muted">—</span>;
  return <>{codes.map((c) => <span key={c} className="chip" title={c}>{purpose(c)}</span>)}</>;
}

/** The last day a grant is valid on (inclusive), with the exact instant in the tooltip. */
export function ValidUntil({ iso }: { iso: string | null | undefined }) {
  const { t } = useLabels();
  const date = lastValidDate(iso);
  if (!date) return <>{formatTime(iso)}</>;
  return <span className="nowrap" title={t('date.untilTitle', { date, instant: formatTime(iso) })} data-testid="valid-until">{date}</span>;
}
