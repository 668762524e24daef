/**
 * 成员管理 (issue 14): the coordinating office adds and deactivates departments and purposes of
 * use; every administrator adds and deactivates the people of their department (the office:
 * of any department), with roles 经办人 / 审批人 / 管理员. Every change states a reason (the API
 * refuses one without). Deactivation keeps the record: the tables show when and why.
 */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import { Async, Badge, DataTable, ErrorBox, Field, Notice, Options, PageHeader, ReasonConfirm, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';

interface MemberDepartment { code: string; name: string; nameEn: string; role: string; provider: boolean; consumer: boolean; jurisdiction: string | null; deactivatedAt: string | null; deactivationReason: string | null }
interface MemberPurpose { code: string; name: string; nameEn: string | null; legalBasis: string | null; deactivatedAt: string | null; deactivationReason: string | null }
interface MemberPerson { id: string; department: string; name: string; roles: string[]; effectiveRoles: string[]; createdAt: string; deactivatedAt: string | null; deactivationReason: string | null }

const ROLE_LABELS: Readonly<Record<string, string>> = { DRAFTER: '经办人', APPROVER: '审批人', ADMINISTRATOR: '管理员' };
const ROLES = ['DRAFTER', 'APPROVER', 'ADMINISTRATOR'] as const;

function State({ at, reason }: { at: string | null; reason: string | null }) {
  return at ? <Badge value="revoked" label={`已停用 ${formatTime(at)}${reason ? `：${reason}` : ''}`} /> : <Badge value="active" label="在用" />;
}

export function MembersPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
  const { session } = useSession();
  const office = session.me.kind === 'PLATFORM_ADMIN';
  const department = (office && query.department) || session.me.department;
  const value = useQuery<{ departments: MemberDepartment[]; purposes: MemberPurpose[]; people: MemberPerson[] }>(Q.MEMBERS, { department });
  return (
    <section>
      <PageHeader title="成员管理" testId="members-page">
        {office ? '协调办公室管理平台成员：部门、使用目的，以及各部门的人员与角色。' : '部门管理员管理本部门人员及其角色。'}
        每项变更须说明理由，并记入审计日志；停用保留历史记录，并拒绝新的使用。
      </PageHeader>
      <Async value={value} what="成员">
        {(data) => (
          <>
            {office && <Departments departments={data.departments} reload={value.reload} />}
            {office && <Purposes purposes={data.purposes} reload={value.reload} />}
            <h2>人员：{data.departments.find((d) => d.code === department)?.name ?? department}</h2>
            {office && (
              <form className="filters" onSubmit={(e) => e.preventDefault()}>
                <label>部门 <select value={department} onChange={(e) => navigate({ department: e.target.value })} data-testid="members-department"><Options values={data.departments.map((d) => d.code)} labels={(c) => `${c} — ${data.departments.find((d) => d.code === c)?.name ?? ''}`} /></select></label>
              </form>
            )}
            <People department={department} people={data.people} reload={value.reload} />
          </>
        )}
      </Async>
    </section>
  );
}

function Departments({ departments, reload }: { departments: MemberDepartment[]; reload(): void }) {
  const add = useMutation<{ addDepartment: { code: string } }>(Q.ADD_DEPARTMENT);
  const deactivate = useMutation<unknown>(Q.DEACTIVATE_DEPARTMENT);
  const [form, setForm] = useState({ code: '', name: '', nameEn: '', provider: false, consumer: true, jurisdiction: '', reason: '' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { reason, jurisdiction, ...input } = form;
    if (await add.run({ input: { ...input, jurisdiction: jurisdiction.trim() || null }, reason })) {
      setForm({ code: '', name: '', nameEn: '', provider: false, consumer: true, jurisdiction: '', reason: '' });
      reload();
    }
  };
  return (
    <>
      <h2>部门</h2>
      <ErrorBox error={deactivate.error} title="部门未停用" />
      <DataTable
        testId="members-departments" rows={departments} rowKey={(d) => d.code} rowTestId={(d) => `department-${d.code}`} empty="尚无部门。"
        columns={[
          { header: '代码', render: (d) => <code>{d.code}</code> },
          { header: '名称', render: (d) => <>{d.name}<br /><small>{d.nameEn}</small></> },
          { header: '角色', render: (d) => [d.provider && '提供方', d.consumer && '使用方', d.role === 'COORDINATOR' && '协调办公室'].filter(Boolean).join('、') },
          { header: '辖区', render: (d) => d.jurisdiction ?? '全省' },
          { header: '状态', render: (d) => <State at={d.deactivatedAt} reason={d.deactivationReason} /> },
          {
            header: '', render: (d) => d.deactivatedAt || d.role === 'COORDINATOR' ? null : (
              <ReasonConfirm label="停用" confirmLabel="确认停用" reasonLabel="停用理由" reasonRequired="请说明停用理由。" testId={`deactivate-department-${d.code}`}
                busy={deactivate.busy} onConfirm={async (reason) => { const ok = await deactivate.run({ department: d.code, reason }); if (ok) reload(); return Boolean(ok); }} />
            ),
          },
        ]}
      />
      <form className="panel form" onSubmit={submit} noValidate data-testid="add-department">
        <h3>新增部门</h3>
        <ErrorBox error={add.error} title="部门未新增" />
        {add.result && <Notice kind="success">已新增部门 <code>{add.result.addDepartment.code}</code>。</Notice>}
        <div className="field-row">
          <Field label="代码" htmlFor="dept-code" hint="小写字母、数字或 -"><input id="dept-code" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} /></Field>
          <Field label="中文名称" htmlFor="dept-name"><input id="dept-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
          <Field label="英文名称" htmlFor="dept-name-en"><input id="dept-name-en" value={form.nameEn} onChange={(e) => setForm({ ...form, nameEn: e.target.value })} /></Field>
          <Field label="辖区代码（GB/T 2260）" htmlFor="dept-jurisdiction" hint="留空：全省"><input id="dept-jurisdiction" value={form.jurisdiction} onChange={(e) => setForm({ ...form, jurisdiction: e.target.value })} /></Field>
        </div>
        <label><input type="checkbox" checked={form.provider} onChange={(e) => setForm({ ...form, provider: e.target.checked })} /> 数据提供方</label>{' '}
        <label><input type="checkbox" checked={form.consumer} onChange={(e) => setForm({ ...form, consumer: e.target.checked })} /> 数据使用方</label>
        <Field label="理由" htmlFor="dept-reason"><input id="dept-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} /></Field>
        <button type="submit" disabled={add.busy} data-testid="add-department-submit">新增部门</button>
      </form>
    </>
  );
}

function Purposes({ purposes, reload }: { purposes: MemberPurpose[]; reload(): void }) {
  const add = useMutation<{ addPurpose: { code: string } }>(Q.ADD_PURPOSE);
  const deactivate = useMutation<unknown>(Q.DEACTIVATE_PURPOSE);
  const [form, setForm] = useState({ code: '', name: '', legalBasis: '', reason: '' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { reason, ...input } = form;
    if (await add.run({ input, reason })) {
      setForm({ code: '', name: '', legalBasis: '', reason: '' });
      reload();
    }
  };
  return (
    <>
      <h2>使用目的</h2>
      <ErrorBox error={deactivate.error} title="使用目的未停用" />
      <DataTable
        testId="members-purposes" rows={purposes} rowKey={(p) => p.code} rowTestId={(p) => `purpose-${p.code}`} empty="尚无使用目的。"
        columns={[
          { header: '代码', render: (p) => <code>{p.code}</code> },
          { header: '名称', render: (p) => p.name },
          { header: '法律依据', render: (p) => p.legalBasis ?? '—' },
          { header: '状态', render: (p) => <State at={p.deactivatedAt} reason={p.deactivationReason} /> },
          {
            header: '', render: (p) => p.deactivatedAt ? null : (
              <ReasonConfirm label="停用" confirmLabel="确认停用" reasonLabel="停用理由" reasonRequired="请说明停用理由。" testId={`deactivate-purpose-${p.code}`}
                busy={deactivate.busy} onConfirm={async (reason) => { const ok = await deactivate.run({ purpose: p.code, reason }); if (ok) reload(); return Boolean(ok); }} />
            ),
          },
        ]}
      />
      <form className="panel form" onSubmit={submit} noValidate data-testid="add-purpose">
        <h3>新增使用目的</h3>
        <ErrorBox error={add.error} title="使用目的未新增" />
        <div className="field-row">
          <Field label="代码" htmlFor="purpose-code" hint="大写字母、数字或 _"><input id="purpose-code" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} /></Field>
          <Field label="名称" htmlFor="purpose-name"><input id="purpose-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
          <Field label="法律依据" htmlFor="purpose-basis"><input id="purpose-basis" value={form.legalBasis} onChange={(e) => setForm({ ...form, legalBasis: e.target.value })} /></Field>
          <Field label="理由" htmlFor="purpose-reason"><input id="purpose-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} /></Field>
        </div>
        <button type="submit" disabled={add.busy} data-testid="add-purpose-submit">新增使用目的</button>
      </form>
    </>
  );
}

function People({ department, people, reload }: { department: string; people: MemberPerson[]; reload(): void }) {
  const add = useMutation<{ addPerson: { id: string } }>(Q.ADD_PERSON);
  const deactivate = useMutation<{ deactivatePerson: { draftsTo: { name: string } | null; transferredApplications: string[]; transferredProposals: string[] } }>(Q.DEACTIVATE_PERSON);
  const [form, setForm] = useState<{ name: string; roles: string[]; reason: string }>({ name: '', roles: ['DRAFTER'], reason: '' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await add.run({ input: { department, name: form.name, roles: form.roles }, reason: form.reason })) {
      setForm({ name: '', roles: ['DRAFTER'], reason: '' });
      reload();
    }
  };
  const moved = deactivate.result?.deactivatePerson;
  return (
    <>
      <ErrorBox error={deactivate.error} title="人员未停用" />
      {moved && <Notice kind="success" testId="person-deactivated">已停用。{moved.transferredApplications.length + moved.transferredProposals.length} 件未办结事项已转交{moved.draftsTo?.name ?? '部门管理员'}。</Notice>}
      <DataTable
        testId="members-people" rows={people} rowKey={(p) => p.id} rowTestId={(p) => `person-${p.id}`} empty="本部门尚无人员。"
        columns={[
          { header: '姓名', render: (p) => p.name },
          { header: '角色', render: (p) => p.roles.map((r) => ROLE_LABELS[r] ?? r).join('、') },
          { header: '当前有效角色', render: (p) => p.effectiveRoles.map((r) => ROLE_LABELS[r] ?? r).join('、') || '—' },
          { header: '添加时间', className: 'nowrap', render: (p) => formatTime(p.createdAt) },
          { header: '状态', render: (p) => <State at={p.deactivatedAt} reason={p.deactivationReason} /> },
          {
            header: '', render: (p) => p.deactivatedAt ? null : (
              <ReasonConfirm label="停用" confirmLabel="确认停用" reasonLabel="停用理由（其未办结事项将转交部门管理员）" reasonRequired="请说明停用理由。" testId={`deactivate-person-${p.id}`}
                busy={deactivate.busy} onConfirm={async (reason) => { const ok = await deactivate.run({ personId: p.id, reason }); if (ok) reload(); return Boolean(ok); }} />
            ),
          },
        ]}
      />
      <form className="panel form" onSubmit={submit} noValidate data-testid="add-person">
        <h3>新增人员</h3>
        <ErrorBox error={add.error} title="人员未新增" />
        <div className="field-row">
          <Field label="姓名" htmlFor="person-name"><input id="person-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
          <Field label="理由" htmlFor="person-reason"><input id="person-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} /></Field>
        </div>
        {ROLES.map((role) => (
          <label key={role}>
            <input type="checkbox" checked={form.roles.includes(role)} data-testid={`person-role-${role}`}
              onChange={(e) => setForm({ ...form, roles: e.target.checked ? [...form.roles, role] : form.roles.filter((r) => r !== role) })} /> {ROLE_LABELS[role]}{' '}
          </label>
        ))}
        <button type="submit" disabled={add.busy} data-testid="add-person-submit">新增人员</button>
      </form>
    </>
  );
}
