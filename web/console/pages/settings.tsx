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

const EMPTY: WebhookForm = { url: '', secret: '' };

export function SettingsPage() {
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
      setChanged({ url: done.setWebhook.webhookUrl, message: form.secret ? 'Webhook saved; deliveries are signed with the new secret.' : 'Webhook saved, without a secret: deliveries are not signed.' });
      setForm(EMPTY);
      value.reload();
    }
  };
  const clear = async () => {
    setShown({});
    const done = await save.run({ url: null, secret: null });
    if (done) {
      setChanged({ url: done.setWebhook.webhookUrl, message: 'Webhook removed: notifications are no longer POSTed anywhere; they stay in the console.' });
      setForm(EMPTY);
      value.reload();
    }
  };

  return (
    <section>
      <PageHeader title="Department settings">
        Settings of <strong>{departmentName(code)}</strong> (<code>{code}</code>). Notifications — applications to answer or decided,
        objections, escalations — are always listed in the console; a webhook also POSTs each one, as JSON, to your department's own system.
      </PageHeader>
      {changed && <Notice kind="success" testId="webhook-saved">{changed.message}</Notice>}
      <Async value={value} what="the settings">
        {({ departments }) => {
          const reported = departments.find((d) => d.code === code)?.webhookUrl ?? null;
          const current = changed ? changed.url : reported;
          return (
            <div className="panel">
              <h2>Webhook</h2>
              <p data-testid="webhook-current">
                {current
                  ? <>Notifications are POSTed to <code data-testid="webhook-url">{current}</code>.</>
                  : <span className="muted">The platform reports no webhook for {code}: notifications are only listed in the console.</span>}
              </p>
              <form className="form" onSubmit={submit} noValidate data-testid="webhook-form">
                <ErrorBox error={save.error} title="The webhook was not changed" />
                <Field label={current ? 'New URL' : 'URL'} htmlFor="webhook-url" error={shown.url} hint="http(s)://… reachable from the platform, e.g. your office system's inbound endpoint.">
                  <input id="webhook-url" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} spellCheck={false} autoComplete="off" placeholder="https://oa.example.gov.cn/govgraph/notifications" />
                </Field>
                <Field label="Secret" htmlFor="webhook-secret" error={shown.secret} hint="Each delivery then carries X-Govgraph-Signature: sha256=<HMAC of the body>, so your system can tell it came from the platform. Not shown again; saving replaces it.">
                  <input id="webhook-secret" type="password" value={form.secret} onChange={(e) => setForm({ ...form, secret: e.target.value })} autoComplete="new-password" />
                </Field>
                <div className="actions">
                  <button type="submit" disabled={save.busy} data-testid="webhook-save">Save webhook</button>
                  {/* Offered even when none is reported: clearing is harmless, and the answer says what is set. */}
                  <ConfirmButton label="Remove webhook" confirmLabel="Yes, stop the deliveries" disabled={save.busy} onConfirm={clear} testId="webhook-clear" />
                </div>
              </form>
            </div>
          );
        }}
      </Async>
    </section>
  );
}
