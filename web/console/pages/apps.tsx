/** Apps and tokens: issue an app token (shown once) and revoke credentials of a department. */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import { requireText } from '../forms.ts';
import type { Credential, IssuedCredential } from '../types.ts';
import { Async, Badge, ConfirmButton, DataTable, ErrorBox, Field, Notice, Options, PageHeader, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';

export function AppsPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
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
    const p = requireText(name, 'Name the app, e.g. "minimum living allowance review".');
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
      <PageHeader title="Apps & tokens">
        Each app of a department has its own token; the gateway records every request under it (R10). A token is shown once, when issued:
        only its hash is kept. Revoking takes effect within a second on every gateway.
      </PageHeader>
      {platform && (
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label>Department <select value={department} onChange={(e) => { create.reset(); navigate({ department: e.target.value }); }} data-testid="apps-department"><Options values={session.departments.map((d) => d.code)} labels={(c) => `${c} — ${departmentName(c)}`} /></select></label>
        </form>
      )}
      <form className="panel form" onSubmit={submit} noValidate>
        <h2>Issue an app token for {departmentName(department)}</h2>
        <ErrorBox error={create.error} title="No token was issued" />
        {issued && (
          <Notice kind="warning" testId="issued-token">
            <p><strong>Copy this token now: it will not be shown again.</strong> App <code>{issued.name}</code> ({issued.id}) of {issued.department}.</p>
            <div className="token-row">
              <input readOnly value={issued.token} aria-label="New token" data-testid="issued-token-value" onFocus={(e) => e.target.select()} />
              <button type="button" className="secondary" onClick={() => navigator.clipboard?.writeText(issued.token).then(() => setCopied(true), () => setCopied(false))}>{copied ? 'Copied' : 'Copy'}</button>
            </div>
          </Notice>
        )}
        <div className="field-row">
          <Field label="App name" htmlFor="app-name" error={problem}>
            <input id="app-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="minimum living allowance review" />
          </Field>
        </div>
        <button type="submit" disabled={create.busy} data-testid="create-app">Issue token</button>
      </form>
      <ErrorBox error={revoke.error} title="The credential was not revoked" />
      <Async value={value} what="credentials">
        {({ credentials }) => (
          <DataTable
            testId="credentials-table"
            rows={credentials}
            rowKey={(c) => c.id}
            rowTestId={(c) => `credential-${c.id}`}
            empty="This department has no credentials."
            columns={[
              { header: 'Name', render: (c) => <>{c.name}{c.id === session.me.credentialId && <> <Badge value="active" label="you" /></>}</> },
              { header: 'Kind', render: (c) => <Badge value={c.kind} /> },
              { header: 'Id', render: (c) => <code>{c.id}</code> },
              { header: 'Issued', className: 'nowrap', render: (c) => formatTime(c.createdAt) },
              { header: 'State', render: (c) => (c.revokedAt ? <Badge value="revoked" label={`revoked ${formatTime(c.revokedAt)}`} /> : <Badge value="active" />) },
              {
                header: '',
                render: (c) => c.revokedAt ? null : (
                  <ConfirmButton
                    label="Revoke"
                    confirmLabel={c.id === session.me.credentialId ? 'Revoke my own token (signs me out)' : 'Yes, revoke'}
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
