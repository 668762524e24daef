/** The landing page: who is signed in and what waits for them. */
import { hrefOf, isProvider, type SectionId } from '../routes.ts';
import * as Q from '../queries.ts';
import { Badge, chinaToday, useQuery, useSession, type Loadable } from '../ui.tsx';
import { useSettingValues } from './deadlines.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';
import { useLabels } from '../i18n/labels.tsx';

const M = defineMessages('overview', {
  signedInAs: '当前登录：{name} {kind}，所属 {department}（{code}{role}{jurisdiction}）。现行策略版本：{version}。',
  role: '，{role}',
  jurisdiction: '，辖区 {code}',
  na: '不可用',
  unread: '未读消息',
  pending: '我的待答复申请',
  toAnswer: '待答复的申请',
  someOverdue: '部分已逾期（R5）',
  answerWithin: '须在 {days} 个工作日内答复（R5）',
  escalated: '提请协调的申请',
  unhealthy: '异常子图',
  whatYouCanDo: '您可以在这里',
  accessHelp: '{link}：本部门现在可读取哪些字段、用于哪些用途，哪些需要申请。',
  catalogueHelp: '{link}：每项共享资源及其共享类别和条件（R2）。',
  applyHelp: '{link}：申请有条件共享字段，说明用途、理由和法律依据（R5、R6）。',
  inboxHelp: '{link}：答复涉及本部门字段的申请；驳回须说明理由。',
  platformHelp: '{policies}、{escalations} 和 {registry}。',
  registryHelp: '{link}：检查本部门子图的变更（组合、分类、破坏性变更及其影响对象），然后发布。',
  grantsHelp: '{link}：谁可为何种用途读取哪些有条件共享字段；可说明理由撤销本部门字段的授权。',
  auditHelp: '{audit}和{reports}（R10、R11）。',
  settingsHelp: '{link}：接收本部门通知的回调地址（webhook）。',
  noPrivileges: '控制台本身没有任何权限：它只显示管理接口针对您的令牌返回的内容。',
}, {
  signedInAs: 'Signed in as {name} {kind} of {department} ({code}{role}{jurisdiction}). Policy version in force: {version}.',
  role: ', {role}',
  jurisdiction: ', jurisdiction {code}',
  na: 'n/a',
  unread: 'Unread notifications',
  pending: 'My pending applications',
  toAnswer: 'Applications to answer',
  someOverdue: 'some are overdue (R5)',
  answerWithin: 'answer within {days} working days (R5)',
  escalated: 'Escalated applications',
  unhealthy: 'Unhealthy subgraphs',
  whatYouCanDo: 'What you can do here',
  accessHelp: '{link}: which fields your department may read now, for which purposes, and which need an application.',
  catalogueHelp: '{link}: every shared resource with its sharing class and conditions (R2).',
  applyHelp: '{link} to conditional fields, stating purpose, justification and legal basis (R5, R6).',
  inboxHelp: '{link}: answer applications for your department\'s fields; a rejection states its reason.',
  platformHelp: '{policies}, {escalations} and the {registry}.',
  registryHelp: '{link}: check a change of your department\'s subgraph (composition, classification, breaking changes and who they affect), then publish it.',
  grantsHelp: '{link}: who may read which conditional field, for which purpose; revoke those on your fields, with a reason.',
  auditHelp: '{audit} and {reports} (R10, R11).',
  settingsHelp: '{link}: the webhook your notifications are POSTed to.',
  noPrivileges: 'The console has no privileges of its own: it shows what the management API returns for your token.',
});

function Tile({ title, value, href, testId, note }: { title: string; value: Loadable<number>; href: string; testId: string; note?: string }) {
  const t = useMessages(M);
  return (
    <a className="tile" href={href} data-testid={testId}>
      <span className="tile-title">{title}</span>
      <span className="tile-value">
        {value.state === 'loading' ? '…' : value.state === 'error' ? <span className="muted" title={String((value.error as Error).message)}>{t('na')}</span> : value.data}
      </span>
      {note && <span className="tile-note">{note}</span>}
    </a>
  );
}

function count<T>(value: Loadable<T>, of: (data: T) => number): Loadable<number> {
  return value.state === 'ok' ? { state: 'ok', data: of(value.data) } : value;
}

export function OverviewPage() {
  const { session } = useSession();
  const t = useMessages(M);
  const { t: common, department: departmentName } = useLabels();
  const { me } = session;
  const department = session.departments.find((d) => d.code === me.department);
  const viewer = { kind: me.kind, departmentRole: department?.role };
  const platform = me.kind === 'PLATFORM_ADMIN';
  const provider = me.kind === 'DEPARTMENT_ADMIN' && isProvider(viewer);
  const unread = useQuery<{ notifications: { id: string }[] }>(Q.OVERVIEW_UNREAD);
  const mine = useQuery<{ applications: { id: string; status: string }[] }>(Q.OVERVIEW_MY_APPLICATIONS, {}, { skip: platform });
  const inbox = useQuery<{ inbox: { id: string; dueDate: string | null }[] }>(Q.OVERVIEW_INBOX, {}, { skip: !provider });
  const escalations = useQuery<{ escalations: { id: string }[] }>(Q.OVERVIEW_ESCALATIONS, {}, { skip: !platform });
  const subgraphs = useQuery<{ subgraphs: { name: string; healthy: boolean }[] }>(Q.OVERVIEW_SUBGRAPHS, {}, { skip: !platform });
  const today = chinaToday();
  const { answerDays } = useSettingValues();
  const link = (s: SectionId, query?: Record<string, string>) => hrefOf(s, [], query);

  return (
    <section>
      <header className="page-header">
        <h1 data-testid="page-title">{departmentName(me.department)}</h1>
        <p className="page-intro">
          {t.rich('signedInAs', {
            name: <strong>{me.name}</strong>,
            kind: <Badge value={me.kind} label={common(`kind.${me.kind}`)} />,
            department: <strong data-testid="overview-department">{department ? `${department.name} · ${department.nameEn}` : me.department}</strong>,
            code: <code>{me.department}</code>,
            role: department?.role ? t('role', { role: department.role }) : '',
            jurisdiction: department?.jurisdiction ? t('jurisdiction', { code: department.jurisdiction }) : '',
            version: <strong>{session.policyVersion}</strong>,
          })}
        </p>
      </header>
      <div className="tiles">
        <Tile title={t('unread')} value={count(unread, (d) => d.notifications.length)} href={link('notifications', { unread: '1' })} testId="tile-unread" />
        {!platform && <Tile title={t('pending')} value={count(mine, (d) => d.applications.filter((a) => a.status === 'PENDING').length)} href={link('applications', { role: 'CONSUMER', status: 'PENDING' })} testId="tile-pending" />}
        {provider && (
          <Tile title={t('toAnswer')} value={count(inbox, (d) => d.inbox.length)} href={link('inbox')} testId="tile-inbox"
            note={inbox.state === 'ok' && inbox.data.inbox.some((a) => a.dueDate && a.dueDate < today) ? t('someOverdue') : t('answerWithin', { days: answerDays })} />
        )}
        {platform && <Tile title={t('escalated')} value={count(escalations, (d) => d.escalations.length)} href={link('escalations')} testId="tile-escalations" />}
        {platform && <Tile title={t('unhealthy')} value={count(subgraphs, (d) => d.subgraphs.filter((s) => !s.healthy).length)} href={link('registry')} testId="tile-subgraphs" />}
      </div>
      <div className="help">
        <h2>{t('whatYouCanDo')}</h2>
        <ul>
          {me.kind !== 'PLATFORM_ADMIN' && <li>{t.rich('accessHelp', { link: <a href={link('access')}>{common('nav.access')}</a> })}</li>}
          <li>{t.rich('catalogueHelp', { link: <a href={link('catalogue')}>{common('nav.catalogue')}</a> })}</li>
          {me.kind !== 'PLATFORM_ADMIN' && <li>{t.rich('applyHelp', { link: <a href={link('apply')}>{common('nav.apply')}</a> })}</li>}
          {provider && <li>{t.rich('inboxHelp', { link: <a href={link('inbox')}>{common('nav.inbox')}</a> })}</li>}
          {platform && <li>{t.rich('platformHelp', { policies: <a href={link('policies')}>{common('nav.policies')}</a>, escalations: <a href={link('escalations')}>{common('nav.escalations')}</a>, registry: <a href={link('registry')}>{common('nav.registry')}</a> })}</li>}
          {me.kind === 'DEPARTMENT_ADMIN' && <li>{t.rich('registryHelp', { link: <a href={link('registry')}>{common('nav.registry')}</a> })}</li>}
          {me.kind !== 'APP' && <li>{t.rich('grantsHelp', { link: <a href={link('grants')}>{common('nav.grants')}</a> })}</li>}
          {me.kind !== 'APP' && <li>{t.rich('auditHelp', { audit: <a href={link('audit')}>{common('nav.audit')}</a>, reports: <a href={link('reports')}>{common('nav.reports')}</a> })}</li>}
          {me.kind !== 'APP' && <li>{t.rich('settingsHelp', { link: <a href={link('settings')}>{common('nav.settings')}</a> })}</li>}
        </ul>
        <p className="muted">{t('noPrivileges')}</p>
      </div>
    </section>
  );
}
