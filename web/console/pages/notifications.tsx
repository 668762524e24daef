/** Notifications queued for the caller's department (applications decided, objections raised or resolved, …). */
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import type { Notification } from '../types.ts';
import { Async, Badge, DataTable, ErrorBox, PageHeader, formatTime, useMutation, useQuery } from '../ui.tsx';

export function NotificationsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
  const unreadOnly = query.unread === '1';
  const value = useQuery<{ notifications: Notification[] }>(Q.NOTIFICATIONS, { unreadOnly });
  const mark = useMutation<{ markNotificationsRead: number }>(Q.MARK_READ);
  const markRead = async (ids: string[]) => {
    if (ids.length && (await mark.run({ ids }))) value.reload();
  };
  return (
    <section>
      <PageHeader title="Notifications">Messages for your department; webhooks, when configured, receive the same.</PageHeader>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label className="check"><input type="checkbox" checked={unreadOnly} onChange={(e) => navigate({ unread: e.target.checked ? '1' : undefined })} /> unread only</label>
        <button type="button" className="secondary" onClick={value.reload}>Refresh</button>
        {value.state === 'ok' && (
          <button type="button" disabled={mark.busy || !value.data.notifications.some((n) => !n.readAt)} onClick={() => markRead(value.data.notifications.filter((n) => !n.readAt).map((n) => n.id))} data-testid="mark-all-read">
            Mark all read
          </button>
        )}
      </form>
      <ErrorBox error={mark.error} />
      <Async value={value} what="notifications">
        {({ notifications }) => (
          <DataTable
            testId="notifications-table"
            rows={notifications}
            rowKey={(n) => n.id}
            rowTestId={(n) => `notification-${n.id}`}
            empty={unreadOnly ? 'No unread notifications.' : 'No notifications.'}
            columns={[
              { header: 'When', className: 'nowrap', render: (n) => formatTime(n.createdAt) },
              { header: 'Kind', render: (n) => <>{!n.readAt && <Badge value="unread" />} {n.kind}</> },
              { header: 'Message', render: (n) => <span className={n.readAt ? undefined : 'unread'}>{n.message}</span> },
              { header: 'Application', render: (n) => (n.applicationId ? <a href={hrefOf('applications', [n.applicationId])}>{n.applicationId}</a> : '') },
              { header: '', render: (n) => (n.readAt ? <span className="muted">read {formatTime(n.readAt)}</span> : <button type="button" className="link" disabled={mark.busy} onClick={() => markRead([n.id])}>Mark read</button>) },
            ]}
          />
        )}
      </Async>
    </section>
  );
}
