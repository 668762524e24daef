/**
 * Department settings: where the department's notifications are POSTed (a webhook into its own
 * office system), signed with a secret it chooses. An administrator sets it for the department
 * the token belongs to; clearing it stops deliveries (notifications stay in the console).
 */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import { validateWebhook, type Problems, type WebhookForm } from '../forms.ts';
import type { DepartmentSettings } from '../types.ts';
import { Async, ConfirmButton, ErrorBox, Field, Notice, PageHeader, useMutation, useQuery, useSession } from '../ui.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('settings', {
  secretHint: '每次推送都带有 X-Govgraph-Signature: sha256=<请求体的 HMAC>，以便贵单位系统确认其来自本平台。密钥不再显示；保存即替换。',
  webhookSavedDeliveriesAre: 'Webhook 已保存；推送以新密钥签名。',
  webhookSavedWithoutA: 'Webhook 已保存，未设密钥：推送不签名。',
  webhookRemovedNotificationsAre: 'Webhook 已移除：通知不再推送到任何地址，仍在控制台中列出。',
  departmentSettings: '部门设置',
  settingsOf: '设置：',
  notificationsApplicationsToAnswer: '）。通知——待答复或已决定的申请、数据异议、协调事项——始终在控制台中列出；配置 webhook 后，每条通知还会以 JSON 形式 POST 到本部门自己的系统。',
  theSettings: '设置',
  webhook: 'Webhook',
  notificationsArePostedTo: '通知推送至',
  thePlatformReportsNo: '平台未登记 webhook：',
  notificationsAreOnlyListed: '，通知仅在控制台中列出。',
  theWebhookWasNot: 'Webhook 未更改',
  newUrl: '新地址',
  httpSReachableFrom: 'http(s)://…，须能从平台访问，例如本单位业务系统的接收地址。',
  secret: '密钥',
  saveWebhook: '保存 webhook',
  removeWebhook: '移除 webhook',
  yesStopTheDeliveries: '确认停止推送',
}, {
  secretHint: 'Each delivery then carries X-Govgraph-Signature: sha256=<HMAC of the body>, so your system can tell it came from the platform. Not shown again; saving replaces it.',
  webhookSavedDeliveriesAre: 'Webhook saved; deliveries are signed with the new secret.',
  webhookSavedWithoutA: 'Webhook saved, without a secret: deliveries are not signed.',
  webhookRemovedNotificationsAre: 'Webhook removed: notifications are no longer POSTed anywhere; they stay in the console.',
  departmentSettings: 'Department settings',
  settingsOf: 'Settings of',
  notificationsApplicationsToAnswer: '). Notifications — applications to answer or decided, objections, escalations — are always listed in the console; a webhook also POSTs each one, as JSON, to your department\'s own system.',
  theSettings: 'the settings',
  webhook: 'Webhook',
  notificationsArePostedTo: 'Notifications are POSTed to',
  thePlatformReportsNo: 'The platform reports no webhook for',
  notificationsAreOnlyListed: ': notifications are only listed in the console.',
  theWebhookWasNot: 'The webhook was not changed',
  newUrl: 'New URL',
  httpSReachableFrom: 'http(s)://… reachable from the platform, e.g. your office system\'s inbound endpoint.',
  secret: 'Secret',
  saveWebhook: 'Save webhook',
  removeWebhook: 'Remove webhook',
  yesStopTheDeliveries: 'Yes, stop the deliveries',
});

const EMPTY: WebhookForm = { url: '', secret: '' };

export function SettingsPage() {
  const t = useMessages(M);
  const { session, departmentName } = useSession();
  const code = session.me.department;
  const value = useQuery<{ departments: DepartmentSettings[] }>(Q.DEPARTMENT_SETTINGS);
  const save = useMutation<{ setWebhook: DepartmentSettings }>(Q.SET_WEBHOOK);
  const [form, setForm] = useState<WebhookForm>(EMPTY);
  const [shown, setShown] = useState<Problems<keyof WebhookForm>>({});
  // What the last change answered: newer than what the page loaded.
  const [changed, setChanged] = useState<{ url: string | null; message: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = validateWebhook(form);
    setShown(problems);
    if (Object.keys(problems).length) return;
    const done = await save.run({ url: form.url.trim(), secret: form.secret || null });
    if (done) {
      setChanged({ url: done.setWebhook.webhookUrl, message: form.secret ? t('webhookSavedDeliveriesAre') : t('webhookSavedWithoutA') });
      setForm(EMPTY);
      value.reload();
    }
  };
  const clear = async () => {
    setShown({});
    const done = await save.run({ url: null, secret: null });
    if (done) {
      setChanged({ url: done.setWebhook.webhookUrl, message: t('webhookRemovedNotificationsAre') });
      setForm(EMPTY);
      value.reload();
    }
  };

  return (
    <section>
      <PageHeader title={t('departmentSettings')}>
        {t('settingsOf')} <strong>{departmentName(code)}</strong> (<code>{code}</code>{t('notificationsApplicationsToAnswer')}
      </PageHeader>
      {changed && <Notice kind="success" testId="webhook-saved">{changed.message}</Notice>}
      <Async value={value} what={t('theSettings')}>
        {({ departments }) => {
          const reported = departments.find((d) => d.code === code)?.webhookUrl ?? null;
          const current = changed ? changed.url : reported;
          return (
            <div className="panel">
              <h2>{t('webhook')}</h2>
              <p data-testid="webhook-current">
                {current
                  ? <>{t('notificationsArePostedTo')} <code data-testid="webhook-url">{current}</code>.</>
                  : <span className="muted">{t('thePlatformReportsNo')} {code}{t('notificationsAreOnlyListed')}</span>}
              </p>
              <form className="form" onSubmit={submit} noValidate data-testid="webhook-form">
                <ErrorBox error={save.error} title={t('theWebhookWasNot')} />
                <Field label={current ? t('newUrl') : 'URL'} htmlFor="webhook-url" error={shown.url} hint={t('httpSReachableFrom')}>
                  <input id="webhook-url" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} spellCheck={false} autoComplete="off" placeholder="https://oa.example.gov.cn/govgraph/notifications" />
                </Field>
                <Field label={t('secret')} htmlFor="webhook-secret" error={shown.secret} hint={t('secretHint')}>
                  <input id="webhook-secret" type="password" value={form.secret} onChange={(e) => setForm({ ...form, secret: e.target.value })} autoComplete="new-password" />
                </Field>
                <div className="actions">
                  <button type="submit" disabled={save.busy} data-testid="webhook-save">{t('saveWebhook')}</button>
                  {/* Offered even when none is reported: clearing is harmless, and the answer says what is set. */}
                  <ConfirmButton label={t('removeWebhook')} confirmLabel={t('yesStopTheDeliveries')} disabled={save.busy} onConfirm={clear} testId="webhook-clear" />
                </div>
              </form>
            </div>
          );
        }}
      </Async>
    </section>
  );
}
