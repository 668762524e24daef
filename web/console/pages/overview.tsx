/** The landing page: who is signed in and what waits for them. */
import { hrefOf, isProvider, type SectionId } from '../routes.ts';
import * as Q from '../queries.ts';
import { Badge, chinaToday, useQuery, useSession, type Loadable } from '../ui.tsx';
import { useSettingValues } from './deadlines.tsx';

function Tile({ title, value, href, testId, note }: { title: string; value: Loadable<number>; href: string; testId: string; note?: string }) {
  return (
    <a className="tile" href={href} data-testid={testId}>
      <span className="tile-title">{title}</span>
      <span className="tile-value">
        {value.state === 'loading' ? '…' : value.state === 'error' ? <span className="muted" title={String((value.error as Error).message)}>n/a</span> : value.data}
      </span>
      {note && <span className="tile-note">{note}</span>}
    </a>
  );
}

function count<T>(value: Loadable<T>, of: (data: T) => number): Loadable<number> {
  return value.state === 'ok' ? { state: 'ok', data: of(value.data) } : value;
}

export function OverviewPage() {
  const { session, departmentName } = useSession();
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
          Signed in as <strong>{me.name}</strong> <Badge value={me.kind} /> of <strong data-testid="overview-department">{department ? `${department.name} · ${department.nameEn}` : me.department}</strong>{' '}
          (<code>{me.department}</code>{department?.role ? `, ${department.role.toLowerCase()}` : ''}{department?.jurisdiction ? `, jurisdiction ${department.jurisdiction}` : ''}).
          Policy version in force: <strong>{session.policyVersion}</strong>.
        </p>
      </header>
      <div className="tiles">
        <Tile title="Unread notifications" value={count(unread, (d) => d.notifications.length)} href={link('notifications', { unread: '1' })} testId="tile-unread" />
        {!platform && <Tile title="My pending applications" value={count(mine, (d) => d.applications.filter((a) => a.status === 'PENDING').length)} href={link('applications', { role: 'CONSUMER', status: 'PENDING' })} testId="tile-pending" />}
        {provider && (
          <Tile title="Applications to answer" value={count(inbox, (d) => d.inbox.length)} href={link('inbox')} testId="tile-inbox"
            note={inbox.state === 'ok' && inbox.data.inbox.some((a) => a.dueDate && a.dueDate < today) ? 'some are overdue (R5)' : `answer within ${answerDays} working days (R5)`} />
        )}
        {platform && <Tile title="Escalated applications" value={count(escalations, (d) => d.escalations.length)} href={link('escalations')} testId="tile-escalations" />}
        {platform && <Tile title="Unhealthy subgraphs" value={count(subgraphs, (d) => d.subgraphs.filter((s) => !s.healthy).length)} href={link('registry')} testId="tile-subgraphs" />}
      </div>
      <div className="help">
        <h2>What you can do here</h2>
        <ul>
          {me.kind !== 'PLATFORM_ADMIN' && <li><a href={link('access')}>My access</a>: which fields your department may read now, for which purposes, and which need an application.</li>}
          <li><a href={link('catalogue')}>Catalogue</a>: every shared resource with its sharing class and conditions (R2).</li>
          {me.kind !== 'PLATFORM_ADMIN' && <li><a href={link('apply')}>Apply for access</a> to conditional fields, stating purpose, justification and legal basis (R5, R6).</li>}
          {provider && <li><a href={link('inbox')}>Inbox</a>: answer applications for your department's fields; a rejection states its reason.</li>}
          {platform && <li><a href={link('policies')}>Field policies</a>, <a href={link('escalations')}>escalations</a> and the <a href={link('registry')}>subgraph registry</a>.</li>}
          {me.kind === 'DEPARTMENT_ADMIN' && <li><a href={link('registry')}>Subgraph registry</a>: check a change of your department's subgraph (composition, classification, breaking changes and who they affect), then publish it.</li>}
          {me.kind !== 'APP' && <li><a href={link('grants')}>Grants</a>: who may read which conditional field, for which purpose; revoke those on your fields, with a reason.</li>}
          {me.kind !== 'APP' && <li><a href={link('audit')}>Audit trail</a> and <a href={link('reports')}>evaluation reports</a> (R10, R11).</li>}
          {me.kind !== 'APP' && <li><a href={link('settings')}>Department settings</a>: the webhook your notifications are POSTed to.</li>}
        </ul>
        <p className="muted">The console has no privileges of its own: it shows what the management API returns for your token.</p>
      </div>
    </section>
  );
}
