/**
 * 成员管理 (issue 14): the coordinating office adds and deactivates departments and purposes of
 * use; every administrator adds and deactivates the people of their department (the office:
 * of any department), with roles 经办人 / 审批人 / 管理员. Every change states a reason (the API
 * refuses one without). Deactivation keeps the record: the tables show when and why.
 */
import { useState, type FormEvent } from 'react';
import * as Q from '../queries.ts';
import { Async, Badge, DataTable, ErrorBox, Field, Notice, Options, PageHeader, ReasonConfirm, formatTime, useMutation, useQuery, useSession } from '../ui.tsx';
import { defineMessages } from '../i18n/defineMessages.ts';
import { useMessages } from '../i18n/I18nProvider.tsx';

const M = defineMessages('members', {
  drafter: '经办人',
  approver: '审批人',
  administrator: '管理员',
  deactivated: '已停用 {at}',
  deactivatedBecause: '已停用 {at}：{reason}',
  departmentAdministrator: '部门管理员',
  listSeparator: '、',
  inUse: '在用',
  members: '成员管理',
  theCoordinatingOfficeManages: '协调办公室管理平台成员：部门、使用目的，以及各部门的人员与角色。',
  departmentAdministratorsManageTheir: '部门管理员管理本部门人员及其角色。',
  everyChangeStatesA: '每项变更须说明理由，并记入审计日志；停用保留历史记录，并拒绝新的使用。',
  members2: '成员',
  people: '人员：',
  department: '部门',
  departments: '部门',
  departmentNotDeactivated: '部门未停用',
  noDepartmentsYet: '尚无部门。',
  code: '代码',
  name: '名称',
  roles: '角色',
  provider: '提供方',
  consumer: '使用方',
  coordinatingOffice: '协调办公室',
  jurisdiction: '辖区',
  wholeProvince: '全省',
  status: '状态',
  deactivate: '停用',
  confirmDeactivation: '确认停用',
  reasonForDeactivation: '停用理由',
  stateTheReasonFor: '请说明停用理由。',
  addADepartment: '新增部门',
  departmentNotAdded: '部门未新增',
  addedDepartment: '已新增部门',
  lowercaseLettersDigitsOr: '小写字母、数字或 -',
  chineseName: '中文名称',
  englishName: '英文名称',
  jurisdictionCodeGbT: '辖区代码（GB/T 2260）',
  emptyWholeProvince: '留空：全省',
  dataProvider: '数据提供方',
  dataConsumer: '数据使用方',
  reason: '理由',
  addDepartment: '新增部门',
  purposesOfUse: '使用目的',
  purposeNotDeactivated: '使用目的未停用',
  noPurposesYet: '尚无使用目的。',
  legalBasis: '法律依据',
  addAPurposeOf: '新增使用目的',
  purposeNotAdded: '使用目的未新增',
  capitalLettersDigitsOr: '大写字母、数字或 _',
  addPurpose: '新增使用目的',
  personNotDeactivated: '人员未停用',
  deactivatedOpenItemsWere: '已停用。{v0} 件未办结事项已转交{v1}。',
  noPeopleInThis: '本部门尚无人员。',
  name2: '姓名',
  rolesInEffect: '当前有效角色',
  added: '添加时间',
  reasonForDeactivationTheir: '停用理由（其未办结事项将转交部门管理员）',
  addAPerson: '新增人员',
  personNotAdded: '人员未新增',
  addPerson: '新增人员',
}, {
  drafter: 'Drafter',
  approver: 'Approver',
  administrator: 'Administrator',
  deactivated: 'Deactivated {at}',
  deactivatedBecause: 'Deactivated {at}: {reason}',
  departmentAdministrator: 'the department administrator',
  listSeparator: ', ',
  inUse: 'In use',
  members: 'Members',
  theCoordinatingOfficeManages: 'The coordinating office manages the platform\'s members: departments, purposes of use, and each department\'s people and roles.',
  departmentAdministratorsManageTheir: 'Department administrators manage their department\'s people and roles.',
  everyChangeStatesA: 'Every change states a reason and is recorded in the audit trail; deactivation keeps the history and refuses new use.',
  members2: 'members',
  people: 'People: ',
  department: 'Department',
  departments: 'Departments',
  departmentNotDeactivated: 'Department not deactivated',
  noDepartmentsYet: 'No departments yet.',
  code: 'Code',
  name: 'Name',
  roles: 'Roles',
  provider: 'provider',
  consumer: 'consumer',
  coordinatingOffice: 'coordinating office',
  jurisdiction: 'Jurisdiction',
  wholeProvince: 'whole province',
  status: 'Status',
  deactivate: 'Deactivate',
  confirmDeactivation: 'Confirm deactivation',
  reasonForDeactivation: 'Reason for deactivation',
  stateTheReasonFor: 'State the reason for deactivation.',
  addADepartment: 'Add a department',
  departmentNotAdded: 'Department not added',
  addedDepartment: 'Added department',
  lowercaseLettersDigitsOr: 'lowercase letters, digits or -',
  chineseName: 'Chinese name',
  englishName: 'English name',
  jurisdictionCodeGbT: 'Jurisdiction code (GB/T 2260)',
  emptyWholeProvince: 'empty: whole province',
  dataProvider: 'Data provider',
  dataConsumer: 'Data consumer',
  reason: 'Reason',
  addDepartment: 'Add department',
  purposesOfUse: 'Purposes of use',
  purposeNotDeactivated: 'Purpose not deactivated',
  noPurposesYet: 'No purposes yet.',
  legalBasis: 'Legal basis',
  addAPurposeOf: 'Add a purpose of use',
  purposeNotAdded: 'Purpose not added',
  capitalLettersDigitsOr: 'capital letters, digits or _',
  addPurpose: 'Add purpose',
  personNotDeactivated: 'Person not deactivated',
  deactivatedOpenItemsWere: 'Deactivated. {v0} open items were handed to {v1}.',
  noPeopleInThis: 'No people in this department yet.',
  name2: 'Name',
  rolesInEffect: 'Roles in effect',
  added: 'Added',
  reasonForDeactivationTheir: 'Reason for deactivation (their open items go to the department administrator)',
  addAPerson: 'Add a person',
  personNotAdded: 'Person not added',
  addPerson: 'Add person',
});

interface MemberDepartment { code: string; name: string; nameEn: string; role: string; provider: boolean; consumer: boolean; jurisdiction: string | null; deactivatedAt: string | null; deactivationReason: string | null }
interface MemberPurpose { code: string; name: string; nameEn: string | null; legalBasis: string | null; deactivatedAt: string | null; deactivationReason: string | null }
interface MemberPerson { id: string; department: string; name: string; roles: string[]; effectiveRoles: string[]; createdAt: string; deactivatedAt: string | null; deactivationReason: string | null }

const ROLE_KEYS: Readonly<Record<string, 'drafter' | 'approver' | 'administrator'>> = { DRAFTER: 'drafter', APPROVER: 'approver', ADMINISTRATOR: 'administrator' };
const ROLES = ['DRAFTER', 'APPROVER', 'ADMINISTRATOR'] as const;

function State({ at, reason }: { at: string | null; reason: string | null }) {
  const t = useMessages(M);
  return at ? <Badge value="revoked" label={reason ? t('deactivatedBecause', { at: formatTime(at), reason }) : t('deactivated', { at: formatTime(at) })} /> : <Badge value="active" label={t('inUse')} />;
}

export function MembersPage({ query, navigate }: { query: Readonly<Record<string, string>>; navigate(query: Record<string, string | undefined>): void }) {
  const t = useMessages(M);
  const { session } = useSession();
  const office = session.me.kind === 'PLATFORM_ADMIN';
  const department = (office && query.department) || session.me.department;
  const value = useQuery<{ departments: MemberDepartment[]; purposes: MemberPurpose[]; people: MemberPerson[] }>(Q.MEMBERS, { department });
  return (
    <section>
      <PageHeader title={t('members')} testId="members-page">
        {office ? t('theCoordinatingOfficeManages') : t('departmentAdministratorsManageTheir')}
        {t('everyChangeStatesA')}
      </PageHeader>
      <Async value={value} what={t('members2')}>
        {(data) => (
          <>
            {office && <Departments departments={data.departments} reload={value.reload} />}
            {office && <Purposes purposes={data.purposes} reload={value.reload} />}
            <h2>{t('people')}{((d) => (t.locale === 'en' ? d?.nameEn || d?.name : d?.name))(data.departments.find((d) => d.code === department)) ?? department}</h2>
            {office && (
              <form className="filters" onSubmit={(e) => e.preventDefault()}>
                <label>{t('department')} <select value={department} onChange={(e) => navigate({ department: e.target.value })} data-testid="members-department"><Options values={data.departments.map((d) => d.code)} labels={(c) => { const d = data.departments.find((x) => x.code === c); return `${c} — ${(t.locale === 'en' ? d?.nameEn || d?.name : d?.name) ?? ''}`; }} /></select></label>
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
  const t = useMessages(M);
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
      <h2>{t('departments')}</h2>
      <ErrorBox error={deactivate.error} title={t('departmentNotDeactivated')} />
      <DataTable
        testId="members-departments" rows={departments} rowKey={(d) => d.code} rowTestId={(d) => `department-${d.code}`} empty={t('noDepartmentsYet')}
        columns={[
          { header: t('code'), render: (d) => <code>{d.code}</code> },
          { header: t('name'), render: (d) => <>{d.name}<br /><small>{d.nameEn}</small></> },
          { header: t('roles'), render: (d) => [d.provider && t('provider'), d.consumer && t('consumer'), d.role === 'COORDINATOR' && t('coordinatingOffice')].filter(Boolean).join(t('listSeparator')) },
          { header: t('jurisdiction'), render: (d) => d.jurisdiction ?? t('wholeProvince') },
          { header: t('status'), render: (d) => <State at={d.deactivatedAt} reason={d.deactivationReason} /> },
          {
            header: '', render: (d) => d.deactivatedAt || d.role === 'COORDINATOR' ? null : (
              <ReasonConfirm label={t('deactivate')} confirmLabel={t('confirmDeactivation')} reasonLabel={t('reasonForDeactivation')} reasonRequired={t('stateTheReasonFor')} testId={`deactivate-department-${d.code}`}
                busy={deactivate.busy} onConfirm={async (reason) => { const ok = await deactivate.run({ department: d.code, reason }); if (ok) reload(); return Boolean(ok); }} />
            ),
          },
        ]}
      />
      <form className="panel form" onSubmit={submit} noValidate data-testid="add-department">
        <h3>{t('addADepartment')}</h3>
        <ErrorBox error={add.error} title={t('departmentNotAdded')} />
        {add.result && <Notice kind="success">{t('addedDepartment')} <code>{add.result.addDepartment.code}</code>。</Notice>}
        <div className="field-row">
          <Field label={t('code')} htmlFor="dept-code" hint={t('lowercaseLettersDigitsOr')}><input id="dept-code" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} /></Field>
          <Field label={t('chineseName')} htmlFor="dept-name"><input id="dept-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
          <Field label={t('englishName')} htmlFor="dept-name-en"><input id="dept-name-en" value={form.nameEn} onChange={(e) => setForm({ ...form, nameEn: e.target.value })} /></Field>
          <Field label={t('jurisdictionCodeGbT')} htmlFor="dept-jurisdiction" hint={t('emptyWholeProvince')}><input id="dept-jurisdiction" value={form.jurisdiction} onChange={(e) => setForm({ ...form, jurisdiction: e.target.value })} /></Field>
        </div>
        <label><input type="checkbox" checked={form.provider} onChange={(e) => setForm({ ...form, provider: e.target.checked })} /> {t('dataProvider')}</label>{' '}
        <label><input type="checkbox" checked={form.consumer} onChange={(e) => setForm({ ...form, consumer: e.target.checked })} /> {t('dataConsumer')}</label>
        <Field label={t('reason')} htmlFor="dept-reason"><input id="dept-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} /></Field>
        <button type="submit" disabled={add.busy} data-testid="add-department-submit">{t('addDepartment')}</button>
      </form>
    </>
  );
}

function Purposes({ purposes, reload }: { purposes: MemberPurpose[]; reload(): void }) {
  const t = useMessages(M);
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
      <h2>{t('purposesOfUse')}</h2>
      <ErrorBox error={deactivate.error} title={t('purposeNotDeactivated')} />
      <DataTable
        testId="members-purposes" rows={purposes} rowKey={(p) => p.code} rowTestId={(p) => `purpose-${p.code}`} empty={t('noPurposesYet')}
        columns={[
          { header: t('code'), render: (p) => <code>{p.code}</code> },
          { header: t('name'), render: (p) => p.name },
          { header: t('legalBasis'), render: (p) => p.legalBasis ?? '—' },
          { header: t('status'), render: (p) => <State at={p.deactivatedAt} reason={p.deactivationReason} /> },
          {
            header: '', render: (p) => p.deactivatedAt ? null : (
              <ReasonConfirm label={t('deactivate')} confirmLabel={t('confirmDeactivation')} reasonLabel={t('reasonForDeactivation')} reasonRequired={t('stateTheReasonFor')} testId={`deactivate-purpose-${p.code}`}
                busy={deactivate.busy} onConfirm={async (reason) => { const ok = await deactivate.run({ purpose: p.code, reason }); if (ok) reload(); return Boolean(ok); }} />
            ),
          },
        ]}
      />
      <form className="panel form" onSubmit={submit} noValidate data-testid="add-purpose">
        <h3>{t('addAPurposeOf')}</h3>
        <ErrorBox error={add.error} title={t('purposeNotAdded')} />
        <div className="field-row">
          <Field label={t('code')} htmlFor="purpose-code" hint={t('capitalLettersDigitsOr')}><input id="purpose-code" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} /></Field>
          <Field label={t('name')} htmlFor="purpose-name"><input id="purpose-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
          <Field label={t('legalBasis')} htmlFor="purpose-basis"><input id="purpose-basis" value={form.legalBasis} onChange={(e) => setForm({ ...form, legalBasis: e.target.value })} /></Field>
          <Field label={t('reason')} htmlFor="purpose-reason"><input id="purpose-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} /></Field>
        </div>
        <button type="submit" disabled={add.busy} data-testid="add-purpose-submit">{t('addPurpose')}</button>
      </form>
    </>
  );
}

function People({ department, people, reload }: { department: string; people: MemberPerson[]; reload(): void }) {
  const t = useMessages(M);
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
      <ErrorBox error={deactivate.error} title={t('personNotDeactivated')} />
      {moved && <Notice kind="success" testId="person-deactivated">{t('deactivatedOpenItemsWere', { v0: moved.transferredApplications.length + moved.transferredProposals.length, v1: moved.draftsTo?.name ?? t('departmentAdministrator') })}</Notice>}
      <DataTable
        testId="members-people" rows={people} rowKey={(p) => p.id} rowTestId={(p) => `person-${p.id}`} empty={t('noPeopleInThis')}
        columns={[
          { header: t('name2'), render: (p) => p.name },
          { header: t('roles'), render: (p) => p.roles.map((r) => (ROLE_KEYS[r] ? t(ROLE_KEYS[r]) : r)).join(t('listSeparator')) },
          { header: t('rolesInEffect'), render: (p) => p.effectiveRoles.map((r) => (ROLE_KEYS[r] ? t(ROLE_KEYS[r]) : r)).join(t('listSeparator')) || '—' },
          { header: t('added'), className: 'nowrap', render: (p) => formatTime(p.createdAt) },
          { header: t('status'), render: (p) => <State at={p.deactivatedAt} reason={p.deactivationReason} /> },
          {
            header: '', render: (p) => p.deactivatedAt ? null : (
              <ReasonConfirm label={t('deactivate')} confirmLabel={t('confirmDeactivation')} reasonLabel={t('reasonForDeactivationTheir')} reasonRequired={t('stateTheReasonFor')} testId={`deactivate-person-${p.id}`}
                busy={deactivate.busy} onConfirm={async (reason) => { const ok = await deactivate.run({ personId: p.id, reason }); if (ok) reload(); return Boolean(ok); }} />
            ),
          },
        ]}
      />
      <form className="panel form" onSubmit={submit} noValidate data-testid="add-person">
        <h3>{t('addAPerson')}</h3>
        <ErrorBox error={add.error} title={t('personNotAdded')} />
        <div className="field-row">
          <Field label={t('name2')} htmlFor="person-name"><input id="person-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
          <Field label={t('reason')} htmlFor="person-reason"><input id="person-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} /></Field>
        </div>
        {ROLES.map((role) => (
          <label key={role}>
            <input type="checkbox" checked={form.roles.includes(role)} data-testid={`person-role-${role}`}
              onChange={(e) => setForm({ ...form, roles: e.target.checked ? [...form.roles, role] : form.roles.filter((r) => r !== role) })} /> {t(ROLE_KEYS[role]!)}{' '}
          </label>
        ))}
        <button type="submit" disabled={add.busy} data-testid="add-person-submit">{t('addPerson')}</button>
      </form>
    </>
  );
}
