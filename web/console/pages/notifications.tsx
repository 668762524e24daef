/** Notifications queued for the caller's department (applications decided, objections raised or resolved, …). */
import { hrefOf } from '../routes.ts';
import * as Q from '../queries.ts';
import type { Notification } from '../types.ts';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';
import { useLabels } from '../i18n/labels.tsx';
import { Async, Badge, DataTable, ErrorBox, PageHeader, formatTime, useMutation, useQuery } from '../ui.tsx';
import { NotificationText } from './notificationText.tsx';

const M = defineMessages('notifications', {
  title: '消息通知',
  intro: '发给本部门的消息；如已配置回调地址（webhook），也会收到相同内容。',
  unreadOnly: '仅未读',
  markAllRead: '全部标为已读',
  loading: '消息通知',
  noneUnread: '没有未读消息。',
  none: '没有消息。',
  when: '时间',
  kind: '类型',
  message: '内容',
  application: '申请',
  readAt: '已读 {time}',
}, {
  title: 'Notifications',
  intro: 'Messages for your department; webhooks, when configured, receive the same.',
  unreadOnly: 'unread only',
  markAllRead: 'Mark all read',
  loading: 'notifications',
  noneUnread: 'No unread notifications.',
  none: 'No notifications.',
  when: 'When',
  kind: 'Kind',
  message: 'Message',
  application: 'Application',
  readAt: 'read {time}',
});

export function NotificationsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
  const t = useMessages(M);
  const { of, t: common } = useLabels();
  const unreadOnly = query.unread === '1';
  const value = useQuery<{ notifications: Notification[] }>(Q.NOTIFICATIONS, { unreadOnly });
  const mark = useMutation<{ markNotificationsRead: number }>(Q.MARK_READ);
  const markRead = async (ids: string[]) => {
    if (ids.length && (await mark.run({ ids }))) value.reload();
  };
  return (
    <section>
      <PageHeader title={t('title')}>{t('intro')}</PageHeader>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label className="check"><input type="checkbox" checked={unreadOnly} onChange={(e) => navigate({ unread: e.target.checked ? '1' : undefined })} /> {t('unreadOnly')}</label>
        <button type="button" className="secondary" onClick={value.reload}>{common('refresh')}</button>
        {value.state === 'ok' && (
          <button type="button" disabled={mark.busy || !value.data.notifications.some((n) => !n.readAt)} onClick={() => markRead(value.data.notifications.filter((n) => !n.readAt).map((n) => n.id))} data-testid="mark-all-read">
            {t('markAllRead')}
          </button>
        )}
      </form>
      <ErrorBox error={mark.error} />
      <Async value={value} what={t('loading')}>
        {({ notifications }) => (
          <DataTable
            testId="notifications-table"
            rows={notifications}
            rowKey={(n) => n.id}
            rowTestId={(n) => `notification-${n.id}`}
            empty={unreadOnly ? t('noneUnread') : t('none')}
            columns={[
              { header: t('when'), className: 'nowrap', render: (n) => formatTime(n.createdAt) },
              { header: t('kind'), render: (n) => <>{!n.readAt && <Badge value="unread" label={of('status', 'unread')} />} <span title={n.kind} data-testid="notification-kind">{of('notification', n.kind)}</span></> },
              { header: t('message'), render: (n) => <span className={n.readAt ? undefined : 'unread'}><NotificationText notification={n} /></span> },
              { header: t('application'), render: (n) => (n.applicationId ? <a href={hrefOf('applications', [n.applicationId])}>{n.applicationId}</a> : '') },
              { header: '', className: 'row-actions', render: (n) => (n.readAt ? <span className="muted">{t('readAt', { time: formatTime(n.readAt) })}</span> : <button type="button" className="link" disabled={mark.busy} onClick={() => markRead([n.id])}>{common('markRead')}</button>) },
            ]}
          />
        )}
      </Async>
    </section>
  );
}
