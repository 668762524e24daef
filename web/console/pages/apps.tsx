/** Apps and tokens: issue an app token (shown once) and revoke credentials of a department. */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import { requireText } from '../forms.ts';
import type { Credential, IssuedCredential } from '../types.ts';
import { Async, Badge, ConfirmButton, DataTable, ErrorBox, Field, Notice, Options, PageHeader, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('apps', {
  credentialsWhat: '凭证',
  you: '本人',
  nameTheAppE: '为应用命名，例如“最低生活保障审核”。',
  appsTokens: '应用与令牌',
  eachAppOfA: '部门的每个应用有自己的令牌；网关以该令牌记录每次请求（R10）。令牌仅在签发时显示一次：平台只保存其哈希值。撤销在一秒内于所有网关生效。',
  department: '部门',
  issueAnAppToken: '签发应用令牌：',
  noTokenWasIssued: '未签发令牌',
  copyThisTokenNow: '请立即复制此令牌：它不会再次显示。',
  app: '应用',
  of: '），所属部门',
  newToken: '新令牌',
  copied: '已复制',
  copy: '复制',
  appName: '应用名称',
  minimumLivingAllowanceReview: '最低生活保障审核',
  issueToken: '签发令牌',
  theCredentialWasNot: '凭证未撤销',
  thisDepartmentHasNo: '本部门没有凭证。',
  name: '名称',
  kind: '类型',
  id: 'ID',
  issued: '签发时间',
  state: '状态',
  revoke: '撤销',
  revokeMyOwnToken: '撤销我自己的令牌（将退出登录）',
  yesRevoke: '确认撤销',
}, {
  credentialsWhat: 'credentials',
  you: 'you',
  nameTheAppE: 'Name the app, e.g. "minimum living allowance review".',
  appsTokens: 'Apps & tokens',
  eachAppOfA: 'Each app of a department has its own token; the gateway records every request under it (R10). A token is shown once, when issued: only its hash is kept. Revoking takes effect within a second on every gateway.',
  department: 'Department',
  issueAnAppToken: 'Issue an app token for',
  noTokenWasIssued: 'No token was issued',
  copyThisTokenNow: 'Copy this token now: it will not be shown again.',
  app: 'App',
  of: ') of',
  newToken: 'New token',
  copied: 'Copied',
  copy: 'Copy',
  appName: 'App name',
  minimumLivingAllowanceReview: 'minimum living allowance review',
  issueToken: 'Issue token',
  theCredentialWasNot: 'The credential was not revoked',
  thisDepartmentHasNo: 'This department has no credentials.',
  name: 'Name',
  kind: 'Kind',
  id: 'Id',
  issued: 'Issued',
  state: 'State',
  revoke: 'Revoke',
  revokeMyOwnToken: 'Revoke my own token (signs me out)',
  yesRevoke: 'Yes, revoke',
});

export function AppsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
  const t = useMessages(M);
  const { session, departmentName } = useSession();
  const platform = session.me.kind === 'PLATFORM_ADMIN';
  const department = (platform && query.department) || session.me.department;
  const value = useQuery<{ credentials: Credential[] }>(Q.CREDENTIALS, { department });
  const create = useMutation<{ createApp: IssuedCredential }>(Q.CREATE_APP);
  const revoke = useMutation<{ revokeCredential: boolean }>(Q.REVOKE_CREDENTIAL);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [copied, setCopied] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = requireText(name, t('nameTheAppE'));
    setProblem(p);
    if (p) return;
    setCopied(false);
    if (await create.run({ department, name: name.trim() })) {
      setName('');
      value.reload();
    }
  };
  const issued = create.result?.createApp;

  return (
    <section>
      <PageHeader title={t('appsTokens')}>
        {t('eachAppOfA')}
      </PageHeader>
      {platform && (
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label>{t('department')} <select value={department} onChange={(e) => { create.reset(); navigate({ department: e.target.value }); }} data-testid="apps-department"><Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${departmentName(c)}`} /></select></label>
        </form>
      )}
      <form className="panel form" onSubmit={submit} noValidate>
        <h2>{t('issueAnAppToken')} {departmentName(department)}</h2>
        <ErrorBox error={create.error} title={t('noTokenWasIssued')} />
        {issued && (
          <Notice kind="warning" testId="issued-token">
            <p><strong>{t('copyThisTokenNow')}</strong> {t('app')} <code>{issued.name}</code> ({issued.id}{t('of')} {issued.department}.</p>
            <div className="token-row">
              <input readOnly value={issued.token} aria-label={t('newToken')} data-testid="issued-token-value" onFocus={(e) => e.target.select()} />
              <button type="button" className="secondary" onClick={() => navigator.clipboard?.writeText(issued.token).then(() => setCopied(true), () => setCopied(false))}>{copied ? t('copied') : t('copy')}</button>
            </div>
          </Notice>
        )}
        <div className="field-row">
          <Field label={t('appName')} htmlFor="app-name" error={problem}>
            <input id="app-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={t('minimumLivingAllowanceReview')} />
          </Field>
        </div>
        <button type="submit" disabled={create.busy} data-testid="create-app">{t('issueToken')}</button>
      </form>
      <ErrorBox error={revoke.error} title={t('theCredentialWasNot')} />
      <Async value={value} what={t('credentialsWhat')}>
        {({ credentials }) => (
          <DataTable
            testId="credentials-table"
            rows={credentials}
            rowKey={(c) => c.id}
            rowTestId={(c) => `credential-${c.id}`}
            empty={t('thisDepartmentHasNo')}
            columns={[
              { header: t('name'), render: (c) => <>{c.name}{c.id === session.me.credentialId && <> <Badge value="active" label={t('you')} /></>}</> },
              { header: t('kind'), render: (c) => <Badge value={c.kind} /> },
              { header: t('id'), render: (c) => <code>{c.id}</code> },
              { header: t('issued'), className: 'nowrap', render: (c) => formatTime(c.createdAt) },
              { header: t('state'), render: (c) => (c.revokedAt ? <Badge value="revoked" label={`revoked ${formatTime(c.revokedAt)}`} /> : <Badge value="active" />) },
              {
                header: '',
                render: (c) => c.revokedAt ? null : (
                  <ConfirmButton
                    label={t('revoke')}
                    confirmLabel={c.id === session.me.credentialId ? t('revokeMyOwnToken') : t('yesRevoke')}
                    disabled={revoke.busy}
                    testId={`revoke-${c.id}`}
                    onConfirm={async () => { if (await revoke.run({ id: c.id })) value.reload(); }}
                  />
                ),
              },
            ]}
          />
        )}
      </Async>
    </section>
  );
}
