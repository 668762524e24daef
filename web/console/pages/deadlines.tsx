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
import { defineMessages } from '../i18n/defineMessages.ts';
import { messagesNow, useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('deadlines', {
  nDays: '{n} 天',
  nWorkingDays: '{n} 个工作日',
  chooseTheSettingTo: '请选择要修改的设置。',
  aWholeNumberFrom: '须为 {v0} 至 {v1} 之间的整数。',
  isAlready: '{v0} 已经是 {v1}。',
  stateTheReasonA: '请说明理由（所依据的决定或采纳的措施）：理由随版本保存并记入审计日志。',
  changeASetting: '修改设置',
  theSettingWasNot: '设置未修改',
  setting: '设置项',
  newValue: '新值',
  nowDefaultFromTo: '当前 {v0}；默认 {v1}；可设 {v2} 至 {v3}。仅适用于修改后设定的期限；未结事项保持原期限。',
  reason: '理由',
  saveAsANew: '保存为新版本',
  noSettings: '没有设置项。',
  inForce: '现行值',
  default: '默认值',
  legalSource: '法律依据',
  appliesTo: '适用于',
  noVersions: '没有版本。',
  version: '版本',
  when: '时间',
  by: '修改人',
  changes: '变更',
  theDefaults: '默认值',
  deadlinesLimits: '时限与限额',
  theWorkingDaysAnd: '平台采用的工作日时限与限额（平台设置），各附默认值与法律依据。修改后的值适用于修改后设定的期限——申请在提交时确定答复期限，异议在提出时确定核实期限，目录更新在开启时确定期限，授权在批准时确定有效期；未结事项保持原期限。',
  savedVersionIsIn: '已保存：版本 {v0} 已在所有网关生效。',
  theSettings: '设置',
  versionInForceSince: '版本 {v0} 现行，自 {v1} 起，由 {v2} 修改。',
  versionInForceThe: '版本 {v0} 现行（管理办法的默认值）。',
  onlyTheCoordinatingOffice: '只有协调办公室（平台管理员）可修改这些值，且须说明理由；每次修改均保留在下方。',
  history: '历史版本',
}, {
  nDays: '{n} days',
  nWorkingDays: '{n} working days',
  chooseTheSettingTo: 'Choose the setting to change.',
  aWholeNumberFrom: 'A whole number from {v0} to {v1}.',
  isAlready: '{v0} is already {v1}.',
  stateTheReasonA: 'State the reason (a decision, a measure adopted): it is kept with the version and in the audit trail.',
  changeASetting: 'Change a setting',
  theSettingWasNot: 'The setting was not changed',
  setting: 'Setting',
  newValue: 'New value',
  nowDefaultFromTo: 'Now {v0}; default {v1}; from {v2} to {v3}. Applies to deadlines set after the change; open ones keep theirs.',
  reason: 'Reason',
  saveAsANew: 'Save as a new version',
  noSettings: 'No settings.',
  inForce: 'In force',
  default: 'Default',
  legalSource: 'Legal source',
  appliesTo: 'Applies to',
  noVersions: 'No versions.',
  version: 'Version',
  when: 'When',
  by: 'By',
  changes: 'Changes',
  theDefaults: 'the defaults',
  deadlinesLimits: 'Deadlines & limits',
  theWorkingDaysAnd: 'The working days and limits the platform applies, each with its default and legal source. A changed value applies to deadlines set after the change — an application\'s due date when it is submitted, an objection\'s when it is raised, a catalogue update\'s when it opens, a grant\'s length when it is approved; open ones keep theirs.',
  savedVersionIsIn: 'Saved: version {v0} is in force on every gateway now.',
  theSettings: 'the settings',
  versionInForceSince: 'Version {v0} in force, since {v1} by {v2}.',
  versionInForceThe: 'Version {v0} in force (the defaults of the measures).',
  onlyTheCoordinatingOffice: 'Only the coordinating office (platform administrator) changes these values, with a reason; every change is kept below.',
  history: 'History',
});

interface ChangeForm { key: string; value: string; reason: string }



/** What the API would refuse, said before asking it (the API checks again). */
export function validateSettingChange(form: ChangeForm, setting: PlatformSetting | undefined): Partial<Record<keyof ChangeForm, string>> {
  const t = messagesNow(M);
  const problems: Partial<Record<keyof ChangeForm, string>> = {};
  if (!setting) problems.key = t('chooseTheSettingTo');
  const value = Number(form.value);
  if (setting && (!/^\d+$/.test(form.value.trim()) || value < setting.min || value > setting.max)) problems.value = t('aWholeNumberFrom', { v0: setting.min, v1: setting.max });
  else if (setting && value === setting.value) problems.value = t('isAlready', { v0: setting.key, v1: value });
  if (!form.reason.trim()) problems.reason = t('stateTheReasonA');
  return problems;
}

function ChangeSettingForm({ settings, onChanged }: { settings: readonly PlatformSetting[]; onChanged(version: number): void }) {
  const t = useMessages(M);
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
      <h2>{t('changeASetting')}</h2>
      <ErrorBox error={save.error} title={t('theSettingWasNot')} />
      <Field label={t('setting')} htmlFor="setting-key" error={shown.key}>
        <select id="setting-key" value={form.key} onChange={(e) => setForm({ ...form, key: e.target.value })} data-testid="setting-key">
          <Options values={settings.map((s) => s.key)} labels={(k) => { const s = settings.find((x) => x.key === k)!; return `${s.name} — ${s.nameEn}`; }} />
        </select>
      </Field>
      <Field label={t('newValue')} htmlFor="setting-value" error={shown.value}
        hint={setting ? t('nowDefaultFromTo', { v0: t(setting.unit === 'DAYS' ? 'nDays' : 'nWorkingDays', { n: setting.value }), v1: setting.defaultValue, v2: setting.min, v3: setting.max }) : undefined}>
        <input id="setting-value" inputMode="numeric" value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} data-testid="setting-value" />
      </Field>
      <Field label={t('reason')} htmlFor="setting-reason" error={shown.reason}>
        <textarea id="setting-reason" rows={2} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} data-testid="setting-reason" />
      </Field>
      <div className="actions"><button type="submit" disabled={save.busy} data-testid="setting-save">{t('saveAsANew')}</button></div>
    </form>
  );
}

function SettingsTable({ settings }: { settings: readonly PlatformSetting[] }) {
  const t = useMessages(M);
  return (
    <DataTable rows={settings} rowKey={(s) => s.key} testId="settings-table" rowTestId={(s) => `setting-${s.key}`} empty={t('noSettings')} columns={[
      { header: t('setting'), render: (s) => <><strong>{s.name}</strong><br /><span className="muted">{s.nameEn}</span><br /><code>{s.key}</code></> },
      { header: t('inForce'), render: (s) => <span data-testid={`setting-value-${s.key}`}>{t(s.unit === 'DAYS' ? 'nDays' : 'nWorkingDays', { n: s.value })}</span> },
      { header: t('default'), render: (s) => s.defaultValue },
      { header: t('legalSource'), render: (s) => <>{s.source}<br /><span className="muted">{s.sourceEn}</span></> },
      { header: t('appliesTo'), render: (s) => s.appliesTo },
    ]} />
  );
}

function HistoryTable({ history }: { history: readonly PlatformSettingsVersion[] }) {
  const t = useMessages(M);
  return (
    <DataTable rows={history} rowKey={(v) => String(v.version)} testId="settings-history" rowTestId={(v) => `settings-version-${v.version}`} empty={t('noVersions')} columns={[
      { header: t('version'), render: (v) => v.version },
      { header: t('when'), render: (v) => (v.at ? formatTime(v.at) : '—') },
      { header: t('by'), render: (v) => <code>{v.actor}</code> },
      { header: t('changes'), render: (v) => (v.changes.length ? v.changes.map((c) => <div key={c.key}><code>{c.key}</code> {c.from} → {c.to}</div>) : <span className="muted">{t('theDefaults')}</span>) },
      { header: t('reason'), render: (v) => v.reason },
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
  const t = useMessages(M);
  const { session } = useSession();
  const office = session.me.kind === 'PLATFORM_ADMIN';
  const value = useQuery<{ platformSettings: PlatformSettings }>(Q.PLATFORM_SETTINGS);
  const [saved, setSaved] = useState<number | null>(null);
  return (
    <section>
      <PageHeader title={t('deadlinesLimits')}>
        {t('theWorkingDaysAnd')}
      </PageHeader>
      {saved !== null && <Notice kind="success" testId="setting-saved">{t('savedVersionIsIn', { v0: saved })}</Notice>}
      <Async value={value} what={t('theSettings')}>
        {({ platformSettings: p }) => (
          <>
            <p data-testid="settings-version">{p.changedAt ? t('versionInForceSince', { v0: p.version, v1: formatTime(p.changedAt), v2: p.changedBy }) : t('versionInForceThe', { v0: p.version })}</p>
            <SettingsTable settings={p.settings} />
            {office
              ? <ChangeSettingForm settings={p.settings} onChanged={(v) => { setSaved(v); value.reload(); }} />
              : <p className="muted" data-testid="settings-readonly">{t('onlyTheCoordinatingOffice')}</p>}
            <h2>{t('history')}</h2>
            <HistoryTable history={p.history} />
          </>
        )}
      </Async>
    </section>
  );
}
