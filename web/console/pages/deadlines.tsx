/**
 * Deadlines & limits (平台设置, issue 13): the working days and limits the platform applies —
 * application answers, catalogue updates, objection verification, the longest grant, the grant
 * expiry warning — with their legal sources and every version. Everyone reads them; the
 * coordinating office (platform administrator) changes them with a reason. A change applies to
 * deadlines set after it; open ones keep theirs.
 */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import type { PlatformSetting, PlatformSettings, PlatformSettingsVersion } from '../types.ts';
import { Async, DataTable, ErrorBox, Field, Notice, Options, PageHeader, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';

interface ChangeForm { key: string; value: string; reason: string }

const unitText = (s: Pick<PlatformSetting, 'unit'>, n: number) => `${n} ${s.unit === 'DAYS' ? 'days' : 'working days'}`;

/** What the API would refuse, said before asking it (the API checks again). */
export function validateSettingChange(form: ChangeForm, setting: PlatformSetting | undefined): Partial<Record<keyof ChangeForm, string>> {
  const problems: Partial<Record<keyof ChangeForm, string>> = {};
  if (!setting) problems.key = 'Choose the setting to change.';
  const value = Number(form.value);
  if (setting && (!/^\d+$/.test(form.value.trim()) || value < setting.min || value > setting.max)) problems.value = `A whole number from ${setting.min} to ${setting.max}.`;
  else if (setting && value === setting.value) problems.value = `${setting.key} is already ${value}.`;
  if (!form.reason.trim()) problems.reason = 'State the reason (a decision, a measure adopted): it is kept with the version and in the audit trail.';
  return problems;
}

function ChangeSettingForm({ settings, onChanged }: { settings: readonly PlatformSetting[]; onChanged(version: number): void }) {
  const [form, setForm] = useState<ChangeForm>({ key: settings[0]?.key ?? '', value: '', reason: '' });
  const [shown, setShown] = useState<Partial<Record<keyof ChangeForm, string>>>({});
  const save = useMutation<{ changePlatformSettings: PlatformSettings }>(Q.CHANGE_PLATFORM_SETTINGS);
  const setting = settings.find((s) => s.key === form.key);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = validateSettingChange(form, setting);
    setShown(problems);
    if (Object.keys(problems).length) return;
    const done = await save.run({ changes: [{ key: form.key, value: Number(form.value) }], reason: form.reason.trim() });
    if (done) {
      setForm({ ...form, value: '', reason: '' });
      onChanged(done.changePlatformSettings.version);
    }
  };
  return (
    <form className="form panel" onSubmit={submit} noValidate data-testid="setting-form">
      <h2>Change a setting</h2>
      <ErrorBox error={save.error} title="The setting was not changed" />
      <Field label="Setting" htmlFor="setting-key" error={shown.key}>
        <select id="setting-key" value={form.key} onChange={(e) => setForm({ ...form, key: e.target.value })} data-testid="setting-key">
          <Options values={settings.map((s) => s.key)} labels={(k) => { const s = settings.find((x) => x.key === k)!; return `${s.name} — ${s.nameEn}`; }} />
        </select>
      </Field>
      <Field label="New value" htmlFor="setting-value" error={shown.value}
        hint={setting ? <>Now {unitText(setting, setting.value)}; default {setting.defaultValue}; from {setting.min} to {setting.max}. Applies to deadlines set after the change; open ones keep theirs.</> : undefined}>
        <input id="setting-value" inputMode="numeric" value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} data-testid="setting-value" />
      </Field>
      <Field label="Reason" htmlFor="setting-reason" error={shown.reason}>
        <textarea id="setting-reason" rows={2} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} data-testid="setting-reason" />
      </Field>
      <div className="actions"><button type="submit" disabled={save.busy} data-testid="setting-save">Save as a new version</button></div>
    </form>
  );
}

function SettingsTable({ settings }: { settings: readonly PlatformSetting[] }) {
  return (
    <DataTable rows={settings} rowKey={(s) => s.key} testId="settings-table" rowTestId={(s) => `setting-${s.key}`} empty="No settings." columns={[
      { header: 'Setting', render: (s) => <><strong>{s.name}</strong><br /><span className="muted">{s.nameEn}</span><br /><code>{s.key}</code></> },
      { header: 'In force', render: (s) => <span data-testid={`setting-value-${s.key}`}>{unitText(s, s.value)}</span> },
      { header: 'Default', render: (s) => s.defaultValue },
      { header: 'Legal source', render: (s) => <>{s.source}<br /><span className="muted">{s.sourceEn}</span></> },
      { header: 'Applies to', render: (s) => s.appliesTo },
    ]} />
  );
}

function HistoryTable({ history }: { history: readonly PlatformSettingsVersion[] }) {
  return (
    <DataTable rows={history} rowKey={(v) => String(v.version)} testId="settings-history" rowTestId={(v) => `settings-version-${v.version}`} empty="No versions." columns={[
      { header: 'Version', render: (v) => v.version },
      { header: 'When', render: (v) => (v.at ? formatTime(v.at) : '—') },
      { header: 'By', render: (v) => <code>{v.actor}</code> },
      { header: 'Changes', render: (v) => (v.changes.length ? v.changes.map((c) => <div key={c.key}><code>{c.key}</code> {c.from} → {c.to}</div>) : <span className="muted">the defaults</span>) },
      { header: 'Reason', render: (v) => v.reason },
    ]} />
  );
}

/** The values in force by key, for the texts of other pages; the defaults until they are loaded (or if they cannot be). */
export function useSettingValues(): { answerDays: number; maxGrantDays: number } {
  const value = useQuery<{ platformSettings: { settings: { key: string; value: number }[] } }>(Q.PLATFORM_SETTING_VALUES);
  const of = (key: string, fallback: number) => (value.state === 'ok' ? value.data.platformSettings.settings.find((s) => s.key === key)?.value : undefined) ?? fallback;
  return { answerDays: of('APPLICATION_ANSWER_WORKING_DAYS', 10), maxGrantDays: of('GRANT_MAX_DAYS', 3 * 366) };
}

export function DeadlinesPage() {
  const { session } = useSession();
  const office = session.me.kind === 'PLATFORM_ADMIN';
  const value = useQuery<{ platformSettings: PlatformSettings }>(Q.PLATFORM_SETTINGS);
  const [saved, setSaved] = useState<number | null>(null);
  return (
    <section>
      <PageHeader title="Deadlines & limits">
        The working days and limits the platform applies (平台设置), each with its default and legal source. A changed value applies
        to deadlines set after the change — an application's due date when it is submitted, an objection's when it is raised, a
        catalogue update's when it opens, a grant's length when it is approved; open ones keep theirs.
      </PageHeader>
      {saved !== null && <Notice kind="success" testId="setting-saved">Saved: version {saved} is in force on every gateway now.</Notice>}
      <Async value={value} what="the settings">
        {({ platformSettings: p }) => (
          <>
            <p data-testid="settings-version">Version {p.version} in force{p.changedAt ? `, since ${formatTime(p.changedAt)} by ${p.changedBy}` : ' (the defaults of the measures)'}.</p>
            <SettingsTable settings={p.settings} />
            {office
              ? <ChangeSettingForm settings={p.settings} onChanged={(v) => { setSaved(v); value.reload(); }} />
              : <p className="muted" data-testid="settings-readonly">Only the coordinating office (platform administrator) changes these values, with a reason; every change is kept below.</p>}
            <h2>History</h2>
            <HistoryTable history={p.history} />
          </>
        )}
      </Async>
    </section>
  );
}
