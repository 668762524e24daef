/**
 * A notification in the reader's language, from its kind and parameters (the `message` is the
 * server's text for webhooks; kinds the console does not know yet fall back to it).
 */
import type { ReactNode } from 'react';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';
import { useLabels } from '../i18n/labels.tsx';
import type { Notification } from '../types.ts';

const M = defineMessages('notificationText', {
  application: '申请 {id}：{consumer} 向 {provider} 申请 {fields}（用途：{purpose}）。',
  submitted: '请于 {dueDate} 前答复（R5）。',
  approved: '已批准 {fields}，有效期至 {until}。',
  partial: '部分批准：准予 {approved}；未准予 {refused}。',
  refusedField: '未准予 {field}：{ground}{law}，理由：{text}',
  rejected: '已驳回，理由：{reason}',
  refused: '已拒绝：{reason}',
  escalated: '已提请协调机构处理。',
  arbitrated: '协调机构决定：{reason}',
  withdrawn: '申请方已撤回。',
  reason: '理由：{reason}',
  grantRevoked: '{consumer} 对 {field}（{purpose}）的授权已撤销，理由：{reason}',
  grantExpiring: '{consumer} 读取 {field}（{purpose}）的授权有效至 {until}，即将到期；如需继续使用，请在到期前重新申请。',
  ground_STATE_SECRET: '涉及国家秘密',
  ground_PERSONAL_PRIVACY: '涉及个人隐私',
  ground_COMMERCIAL_SECRET: '涉及商业秘密',
  ground_LAW_OR_REGULATION: '法律法规禁止',
  ground_OTHER: '其他理由',
}, {
  application: 'Application {id}: {consumer} applied to {provider} for {fields} (purpose: {purpose}).',
  submitted: 'Answer by {dueDate} (R5).',
  approved: 'Approved {fields}, valid until {until}.',
  partial: 'Partly approved: granted {approved}; not granted {refused}.',
  refusedField: 'Not granted {field}: {ground}{law}, reason: {text}',
  rejected: 'Rejected: {reason}',
  refused: 'Refused: {reason}',
  escalated: 'Sent to the coordinating office.',
  arbitrated: 'The coordinating office decided: {reason}',
  withdrawn: 'Withdrawn by the applicant.',
  reason: 'Reason: {reason}',
  grantRevoked: '{consumer}\'s grant to read {field} ({purpose}) was revoked: {reason}',
  grantExpiring: '{consumer}\'s grant to read {field} ({purpose}) is valid until {until} and expires soon; apply again before then to keep using it.',
  ground_STATE_SECRET: 'state secret',
  ground_PERSONAL_PRIVACY: 'personal privacy',
  ground_COMMERCIAL_SECRET: 'commercial secret',
  ground_LAW_OR_REGULATION: 'forbidden by law or regulation',
  ground_OTHER: 'other reason',
});

type GroundKey = 'ground_STATE_SECRET' | 'ground_PERSONAL_PRIVACY' | 'ground_COMMERCIAL_SECRET' | 'ground_LAW_OR_REGULATION' | 'ground_OTHER';

interface Refusal { coordinate: string; ground: string; lawName: string | null; text: string }

function refusalsOf(text: string | undefined): Refusal[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((r): r is Refusal => typeof r?.coordinate === 'string' && typeof r?.text === 'string') : [];
  } catch {
    return [];
  }
}

export function NotificationText({ notification: n }: { notification: Notification }) {
  const t = useMessages(M);
  const { department, purpose } = useLabels();
  const p: Record<string, string> = Object.fromEntries((n.params ?? []).filter((x) => x.value !== null).map((x) => [x.name, x.value!]));
  const list = (s: string | undefined) => (s ?? '').split(',').filter(Boolean).join('、');
  const lines: ReactNode[] = [];
  if (n.kind.startsWith('APPLICATION_') && p.applicationId && p.consumer && p.provider && n.kind !== 'APPLICATION_FIELD_CONTESTED' && n.kind !== 'APPLICATION_FIELD_ARBITRATED') {
    lines.push(t('application', { id: p.applicationId, consumer: department(p.consumer), provider: department(p.provider), fields: list(p.coordinates), purpose: p.purpose ? purpose(p.purpose) : '' }));
    switch (n.kind) {
      case 'APPLICATION_SUBMITTED': if (p.dueDate) lines.push(t('submitted', { dueDate: p.dueDate })); break;
      case 'APPLICATION_APPROVED':
      case 'APPLICATION_GRANTED_ON_ARBITRATION':
        lines.push(p.partial === 'true'
          ? t('partial', { approved: list(p.approvedCoordinates), refused: list(p.refusedCoordinates) })
          : t('approved', { fields: list(p.approvedCoordinates || p.coordinates), until: p.approvedUntil ?? '' }));
        for (const r of refusalsOf(p.refusals)) {
          const ground = `ground_${r.ground}`;
          lines.push(<span data-testid="refused-field">{t('refusedField', { field: r.coordinate, ground: ground in M['zh-CN'] ? t(ground as GroundKey) : r.ground, law: r.lawName ? `（${r.lawName}）` : '', text: r.text })}</span>);
        }
        if (n.kind === 'APPLICATION_GRANTED_ON_ARBITRATION' && p.reason) lines.push(t('arbitrated', { reason: p.reason }));
        break;
      case 'APPLICATION_REJECTED': lines.push(t('rejected', { reason: p.reason ?? '' })); break;
      case 'APPLICATION_REFUSED': lines.push(t('refused', { reason: p.reason ?? '' })); break;
      case 'APPLICATION_ESCALATED': lines.push(t('escalated')); break;
      case 'APPLICATION_UPHELD_ON_ARBITRATION': lines.push(t('arbitrated', { reason: p.reason ?? '' })); break;
      case 'APPLICATION_WITHDRAWN': lines.push(t('withdrawn')); break;
      default: if (p.reason) lines.push(t('reason', { reason: p.reason }));
    }
  } else if (n.kind === 'GRANT_REVOKED' && p.consumer && p.coordinate) {
    lines.push(t('grantRevoked', { consumer: department(p.consumer), field: p.coordinate, purpose: p.purpose ? purpose(p.purpose) : '', reason: p.reason ?? '' }));
  } else if (n.kind === 'GRANT_EXPIRING' && p.consumer && p.coordinate) {
    lines.push(t('grantExpiring', { consumer: department(p.consumer), field: p.coordinate, purpose: p.purpose ? purpose(p.purpose) : '', until: p.validUntil ?? '' }));
  } else {
    return <span data-testid="notification-text">{n.message}</span>;
  }
  return <span data-testid="notification-text" title={n.message}>{lines.map((l, i) => <span key={i} className="notification-line">{l}</span>)}</span>;
}
