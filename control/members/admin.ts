/**
 * Members in the management API (issue 14): `membersTypeDefs`, merged with
 * control/admin/schema.graphql, and `membersResolvers`.
 *
 * Who may do what:
 * - the coordinating office (platform administrator; a person of it needs ADMINISTRATOR) adds,
 *   changes and deactivates departments and purposes, and manages every department's people,
 *   acting approvers and apps;
 * - a department administrator manages its own department's people, acting approvers and apps;
 * - every change states a reason (recorded by the admin audit plugin); deactivation keeps the
 *   row and history, and refuses new use.
 */
import type { Kysely } from 'kysely';
import { badInput, forbidden, requireAdminOf, requirePlatformAdmin, requireReason, actorOf, type AdminContext } from '../admin/resolvers.ts';
import { insertPerson, peopleOf, personById, PERSON_ROLES, type Person, type PersonRole } from '../people/people.ts';
import { DEPARTMENT_LANGUAGES, type PlatformDatabase } from '../store/platformStore.ts';
import { actingPerson } from '../store/actingPerson.ts';
import { webhookUrlProblem } from '../notifications/webhookUrl.ts';
import { COORDINATOR } from '../applications/applicationService.ts';
import { RegistryError } from '../registry/subgraphRegistry.ts';
import { hostsOf } from '../registry/ownershipStore.ts';
import { DEPARTMENT_CODE, DIVISION_CODE, deactivateDepartment, departmentByCode, departmentKind, insertDepartment, updateDepartment, type DepartmentKind } from './departments.ts';
import { PURPOSE_CODE, deactivatePurpose, insertPurpose, purposeByCode, updatePurpose } from './purposes.ts';
import { deactivatePerson } from './offboarding.ts';
import { actingApproverById, actingApproversOf, endActingApprover, nameActingApprover } from './actingApprovers.ts';
import { actingApproverUntil } from './personStanding.ts';
import { DEFAULT_ROTATION_OVERLAP_MINUTES, MAX_ROTATION_OVERLAP_MINUTES, rotateCredentialToken, setCredentialExpiry } from './appTokens.ts';

export const membersTypeDefs = /* GraphQL */ `
extend type Query {
  "People of a department (default: the caller's), with their roles; deactivated ones too (history names them). Its administrators and the coordinating office."
  people(department: String): [Person!]!
  "Acting-approver periods of a department (default: the caller's). Its administrators and the coordinating office."
  actingApprovers(department: String): [ActingApprover!]!
}

extend type Mutation {
  "Coordinating office: adds a member department. Provider and/or consumer; jurisdiction a GB/T 2260 code; subgraph hosts where its subgraphs may be registered."
  addDepartment(input: DepartmentInput!, reason: String!): Department!
  "Coordinating office: changes a department's names, role, jurisdiction, webhook URL or subgraph hosts; fields left out stay."
  updateDepartment(department: String!, input: DepartmentChange!, reason: String!): Department!
  "Coordinating office: deactivates a department. Its apps' and administrators' tokens are refused (HTTP 403), its people cannot act; its history, grants and records stay."
  deactivateDepartment(department: String!, reason: String!): Department!
  "A department's administrator (or the coordinating office) sets the language of the texts the platform makes for the department — report CSV headers and SVG labels: zh (default) or en."
  setDepartmentLanguage(department: String!, language: String!, reason: String!): Department!
  "Coordinating office: registers a purpose of use (R6) with its legal basis."
  addPurpose(input: PurposeInput!, reason: String!): Purpose!
  "Coordinating office: changes a purpose's names, description or legal basis."
  updatePurpose(purpose: String!, input: PurposeChange!, reason: String!): Purpose!
  "Coordinating office: deactivates a purpose: it can no longer be declared for new requests (HTTP 400) or applications; history and grants keep naming it."
  deactivatePurpose(purpose: String!, reason: String!): Purpose!
  "A department's administrator (or the coordinating office) adds a person with roles. People of the coordinating office are added by the office."
  addPerson(input: PersonInput!, reason: String!): Person!
  "A department's administrator (or the coordinating office) sets a person's roles."
  setPersonRoles(personId: ID!, roles: [PersonRole!]!, reason: String!): Person!
  "A department's administrator (or the coordinating office) deactivates a person: they can no longer act (their sessions end), their open drafts pass to the department administrator."
  deactivatePerson(personId: ID!, reason: String!): PersonDeactivation!
  "A department's administrator names a person of the department acting approver (代理审批人) from validFrom until validUntil (ISO date-times)."
  nameActingApprover(personId: ID!, validFrom: String!, validUntil: String!, reason: String!): ActingApprover!
  "Ends an acting-approver period now."
  endActingApprover(id: ID!, reason: String!): ActingApprover!
  "Rotates an app's token: a new token (shown once); the previous one stays valid for overlapMinutes (default 1440), then stops. expiresAt (ISO date-time, or null for none) sets the app's expiry; omitted, it stays."
  rotateAppToken(id: ID!, reason: String!, overlapMinutes: Int = ${DEFAULT_ROTATION_OVERLAP_MINUTES}, expiresAt: String): IssuedCredential!
  "Sets when an app's token expires (ISO date-time; null: never). An expired token gets HTTP 401 saying so."
  setAppExpiry(id: ID!, expiresAt: String, reason: String!): Credential!
}

input DepartmentInput {
  "Lower-case letters, digits and -, e.g. gzhrss."
  code: String!
  name: String!
  nameEn: String!
  provider: Boolean!
  consumer: Boolean!
  "GB/T 2260 division code of the area it serves; null: the whole province."
  jurisdiction: String
  "https URL its notifications are POSTed to; the department sets its signing secret with setWebhook."
  webhookUrl: String
  "Hosts its subgraphs may be registered at (DNS names or IP addresses)."
  subgraphHosts: [String!]
}
input DepartmentChange { name: String nameEn: String provider: Boolean consumer: Boolean jurisdiction: String webhookUrl: String subgraphHosts: [String!] }
input PurposeInput { code: String! name: String! nameEn: String description: String "The law or regulation the purpose rests on." legalBasis: String! }
input PurposeChange { name: String nameEn: String description: String legalBasis: String }
input PersonInput { "Default: the caller's department." department: String name: String! roles: [PersonRole!]! }

"A person's roles: drafter (经办人), approver (审批人), department administrator."
enum PersonRole { DRAFTER APPROVER ADMINISTRATOR }

"A named account of a department (issue 14)."
type Person {
  id: ID!
  department: String!
  name: String!
  roles: [PersonRole!]!
  "Roles in force now: with APPROVER while an acting-approver period covers now."
  effectiveRoles: [PersonRole!]!
  createdAt: String!
  createdBy: String!
  deactivatedAt: String
  deactivatedBy: String
  deactivationReason: String
}
"Who acted, where a record names a person."
type PersonName { id: ID! name: String! }
type PersonDeactivation {
  person: Person!
  "Who received the open drafts; null when the department has no other administrator."
  draftsTo: PersonName
  transferredApplications: [ID!]!
  transferredProposals: [ID!]!
}
type ActingApprover {
  id: ID! department: String! person: Person! validFrom: String! validUntil: String! reason: String!
  namedAt: String! namedBy: String! endedAt: String endedBy: String
  "Whether the period covers now."
  active: Boolean!
}

extend type Principal {
  "The signed-in person acting, with their roles in force; null for an app or a bare token."
  person: Person
}
extend type Department {
  provider: Boolean!
  consumer: Boolean!
  createdAt: String
  deactivatedAt: String
  deactivationReason: String
  "zh (default) or en: the language of the texts the platform makes for the department (020_department_language)."
  language: String!
}
extend type Purpose {
  nameEn: String
  legalBasis: String
  deactivatedAt: String
  deactivationReason: String
}
extend type Credential {
  createdBy: String
  "When its token expires; null: never."
  expiresAt: String
  "When its token was last used (to the minute: written at most once a minute)."
  lastUsedAt: String
  rotatedAt: String
  "Until when the token before the last rotation is still accepted."
  previousValidUntil: String
  revokedBy: String
  revokeReason: String
  "The person who issued it, when a person did."
  issuedByPerson: String
}
extend type IssuedCredential {
  expiresAt: String
  "After a rotation: until when the previous token is still accepted."
  previousValidUntil: String
}
extend type ApplicationEvent {
  "The person acting, when a person did."
  person: PersonName
}
extend type Application {
  "The person who drafted (submitted) it; never its approver."
  draftedBy: PersonName
}
extend type PolicyVersion {
  "The person acting, when a person made it."
  person: PersonName
}
extend type PolicyProposal {
  "The person who drafted it; never its approver."
  proposedByPerson: PersonName
}
`;

/** A date-time as given (ISO 8601 with time zone or a plain date), normalized; BAD_USER_INPUT otherwise. */
function dateTime(value: string, name: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw badInput(`${name} must be an ISO 8601 date-time such as 2027-01-31T00:00:00+08:00, received ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

function text(value: string | null | undefined, name: string, max = 200): string {
  const trimmed = (value ?? '').trim();
  if (!trimmed) throw badInput(`${name} must not be empty`);
  if (trimmed.length > max) throw badInput(`${name} is at most ${max} characters, received ${trimmed.length}`);
  return trimmed;
}

function jurisdictionOf(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!DIVISION_CODE.test(value)) throw badInput(`jurisdiction is a six-digit GB/T 2260 division code (e.g. 440106), received ${JSON.stringify(value)}`);
  return value;
}

function webhookOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const problem = webhookUrlProblem(value);
  if (problem) throw badInput(`the webhook URL ${problem}, received ${JSON.stringify(value)}`);
  return value;
}

function rolesOf(roles: readonly string[]): PersonRole[] {
  const unknown = roles.filter((r) => !PERSON_ROLES.includes(r as PersonRole));
  if (unknown.length) throw badInput(`unknown roles ${unknown.join(', ')}; one of ${PERSON_ROLES.join(', ')}`);
  if (roles.length === 0) throw badInput(`give a person at least one role: ${PERSON_ROLES.join(', ')}`);
  return [...new Set(roles as PersonRole[])];
}

/** A person-acting record's actor: the credential (as every record), the person in their own column or details. */
const actorFor = (ctx: AdminContext) => actorOf(ctx);

async function activeDepartment(ctx: AdminContext, code: string) {
  const department = await departmentByCode(ctx.store.db, code);
  if (!department) throw badInput(`there is no department ${JSON.stringify(code)}`);
  if (department.deactivatedAt) throw badInput(`department ${code} was deactivated at ${department.deactivatedAt}: it takes no new people, apps or changes`);
  return department;
}

async function departmentView(ctx: AdminContext, code: string) {
  const d = (await departmentByCode(ctx.store.db, code))!;
  return { ...d };
}

/** A new policy version, so every replica's snapshot reads the departments and purposes as they now are. */
async function newMembersVersion(ctx: AdminContext, reason: string): Promise<void> {
  await ctx.store.appendVersion('MEMBERS', reason, actorFor(ctx), async (_trx, previous) => [...previous]);
  await ctx.policy.refresh();
}

async function personView(db: Kysely<PlatformDatabase>, person: Person, now: Date) {
  const acting = person.deactivatedAt ? null : await actingApproverUntil(db, person.id, now);
  const effective = new Set(person.deactivatedAt ? [] : person.roles);
  if (acting) effective.add('APPROVER');
  return { ...person, effectiveRoles: [...effective] };
}

async function requirePerson(ctx: AdminContext, id: string): Promise<Person> {
  const person = await personById(ctx.store.db, id);
  if (!person) throw badInput(`there is no person ${JSON.stringify(id)}`);
  // The office's people are the office's to manage; a department's, its administrators' and the office's.
  requireAdminOf(ctx, person.department);
  return person;
}

async function personName(db: Kysely<PlatformDatabase>, id: string | null | undefined) {
  if (!id) return null;
  const person = await personById(db, id);
  return person ? { id: person.id, name: person.name } : { id, name: '' };
}

async function appOf(ctx: AdminContext, id: string) {
  const credential = await ctx.store.credential(id);
  if (!credential || credential.kind !== 'APP') throw badInput(`no app ${JSON.stringify(id)}; rotation and expiry are for app credentials (see credentials)`);
  requireAdminOf(ctx, credential.department);
  return credential;
}

async function credentialView(ctx: AdminContext, id: string, department: string) {
  return (await ctx.store.credentialsOf(department)).find((c) => c.id === id)!;
}

function hostsError(error: unknown): never {
  if (error instanceof RegistryError) throw badInput(error.message);
  throw error;
}

export const membersResolvers = {
  Query: {
    people: async (_: unknown, args: { department?: string | null }, ctx: AdminContext) => {
      const department = args.department ?? ctx.identity.department;
      requireAdminOf(ctx, department);
      const now = ctx.clock();
      return Promise.all((await peopleOf(ctx.store.db, department)).map((p) => personView(ctx.store.db, p, now)));
    },
    actingApprovers: async (_: unknown, args: { department?: string | null }, ctx: AdminContext) => {
      const department = args.department ?? ctx.identity.department;
      requireAdminOf(ctx, department);
      return actingApproversOf(ctx.store.db, department);
    },
  },
  Mutation: {
    addDepartment: async (_: unknown, args: { input: { code: string; name: string; nameEn: string; provider: boolean; consumer: boolean; jurisdiction?: string | null; webhookUrl?: string | null; subgraphHosts?: string[] | null }; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      const reason = requireReason(args.reason);
      const { input } = args;
      if (!DEPARTMENT_CODE.test(input.code)) throw badInput(`a department code is 2–32 lower-case letters, digits or -, starting with a letter (e.g. gzhrss), received ${JSON.stringify(input.code)}`);
      if (await departmentByCode(ctx.store.db, input.code)) throw badInput(`department ${input.code} exists already (deactivated departments keep their code)`);
      const role = departmentKind(input.provider, input.consumer);
      if (!role) throw badInput('a department provides data, consumes it, or both: set provider and/or consumer');
      const values = { code: input.code, name: text(input.name, 'name'), nameEn: text(input.nameEn, 'nameEn'), role, jurisdiction: jurisdictionOf(input.jurisdiction), webhookUrl: webhookOf(input.webhookUrl) };
      await insertDepartment(ctx.store.db, values, ctx.clock());
      if (input.subgraphHosts?.length) {
        try {
          await ctx.registry.setHosts(ctx.identity, input.code, input.subgraphHosts);
        } catch (error) {
          // Nothing half-made: the department goes again if its hosts are refused.
          await ctx.store.db.deleteFrom('departments').where('code', '=', input.code).execute();
          hostsError(error);
        }
      }
      await newMembersVersion(ctx, `department ${input.code} added: ${reason}`);
      return departmentView(ctx, input.code);
    },
    updateDepartment: async (_: unknown, args: { department: string; input: { name?: string | null; nameEn?: string | null; provider?: boolean | null; consumer?: boolean | null; jurisdiction?: string | null; webhookUrl?: string | null; subgraphHosts?: string[] | null }; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      const reason = requireReason(args.reason);
      const current = await activeDepartment(ctx, args.department);
      const { input } = args;
      const change: Parameters<typeof updateDepartment>[2] = {};
      if (input.name !== undefined && input.name !== null) change.name = text(input.name, 'name');
      if (input.nameEn !== undefined && input.nameEn !== null) change.name_en = text(input.nameEn, 'nameEn');
      if ((input.provider ?? null) !== null || (input.consumer ?? null) !== null) {
        if (current.role === 'COORDINATOR') throw badInput('the coordinating office stays the coordinator');
        const was = current.role as DepartmentKind;
        const role = departmentKind(input.provider ?? was !== 'CONSUMER', input.consumer ?? was !== 'PROVIDER');
        if (!role) throw badInput('a department provides data, consumes it, or both');
        change.role = role;
      }
      if (input.jurisdiction !== undefined) change.jurisdiction = jurisdictionOf(input.jurisdiction);
      if (input.webhookUrl !== undefined) change.webhook_url = webhookOf(input.webhookUrl);
      if (input.subgraphHosts) await ctx.registry.setHosts(ctx.identity, args.department, input.subgraphHosts).catch(hostsError);
      await updateDepartment(ctx.store.db, args.department, change);
      await newMembersVersion(ctx, `department ${args.department} changed: ${reason}`);
      return departmentView(ctx, args.department);
    },
    deactivateDepartment: async (_: unknown, args: { department: string; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      const reason = requireReason(args.reason);
      const current = await departmentByCode(ctx.store.db, args.department);
      if (!current) throw badInput(`there is no department ${JSON.stringify(args.department)}`);
      if (current.code === COORDINATOR || current.role === 'COORDINATOR') throw badInput('the coordinating office cannot deactivate itself');
      if (!(await deactivateDepartment(ctx.store.db, args.department, actorFor(ctx), reason, ctx.clock()))) throw badInput(`department ${args.department} was already deactivated at ${current.deactivatedAt}`);
      // Its apps' tokens are refused on every replica at once (the identity caches drop).
      await ctx.store.changes.publish('tokens', args.department);
      // Its tokens are refused from the next request on every replica (the token cache lasts a second).
      ctx.authenticator.forget();
      await newMembersVersion(ctx, `department ${args.department} deactivated: ${reason}`);
      return departmentView(ctx, args.department);
    },
    setDepartmentLanguage: async (_: unknown, args: { department: string; language: string; reason: string }, ctx: AdminContext) => {
      requireAdminOf(ctx, args.department);
      const reason = requireReason(args.reason);
      await activeDepartment(ctx, args.department);
      if (!(DEPARTMENT_LANGUAGES as readonly string[]).includes(args.language)) throw badInput(`language is zh or en, received ${JSON.stringify(args.language)}`);
      await updateDepartment(ctx.store.db, args.department, { language: args.language });
      await newMembersVersion(ctx, `department ${args.department} language ${args.language}: ${reason}`);
      return departmentView(ctx, args.department);
    },
    addPurpose: async (_: unknown, args: { input: { code: string; name: string; nameEn?: string | null; description?: string | null; legalBasis: string }; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      const reason = requireReason(args.reason);
      const { input } = args;
      if (!PURPOSE_CODE.test(input.code)) throw badInput(`a purpose code is 3–64 upper-case letters, digits or _, starting with a letter (e.g. SOCIAL_ASSISTANCE_REVIEW), received ${JSON.stringify(input.code)}`);
      if (await purposeByCode(ctx.store.db, input.code)) throw badInput(`purpose ${input.code} exists already (deactivated purposes keep their code)`);
      await insertPurpose(ctx.store.db, {
        code: input.code, name: text(input.name, 'name'), nameEn: input.nameEn?.trim() || null, description: input.description?.trim() || null, legalBasis: text(input.legalBasis, 'legalBasis', 500),
      });
      await newMembersVersion(ctx, `purpose ${input.code} added: ${reason}`);
      return purposeByCode(ctx.store.db, input.code);
    },
    updatePurpose: async (_: unknown, args: { purpose: string; input: { name?: string | null; nameEn?: string | null; description?: string | null; legalBasis?: string | null }; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      requireReason(args.reason);
      const current = await purposeByCode(ctx.store.db, args.purpose);
      if (!current) throw badInput(`there is no purpose ${JSON.stringify(args.purpose)}`);
      if (current.deactivatedAt) throw badInput(`purpose ${args.purpose} was deactivated at ${current.deactivatedAt}`);
      const { input } = args;
      await updatePurpose(ctx.store.db, args.purpose, {
        ...(input.name ? { name: text(input.name, 'name') } : {}),
        ...(input.nameEn !== undefined ? { name_en: input.nameEn?.trim() || null } : {}),
        ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
        ...(input.legalBasis ? { legal_basis: text(input.legalBasis, 'legalBasis', 500) } : {}),
      });
      return purposeByCode(ctx.store.db, args.purpose);
    },
    deactivatePurpose: async (_: unknown, args: { purpose: string; reason: string }, ctx: AdminContext) => {
      requirePlatformAdmin(ctx);
      const reason = requireReason(args.reason);
      const current = await purposeByCode(ctx.store.db, args.purpose);
      if (!current) throw badInput(`there is no purpose ${JSON.stringify(args.purpose)}`);
      if (!(await deactivatePurpose(ctx.store.db, args.purpose, actorFor(ctx), reason, ctx.clock()))) throw badInput(`purpose ${args.purpose} was already deactivated at ${current.deactivatedAt}`);
      // R6: the purpose leaves the policy snapshot: new requests and applications cannot declare it.
      await newMembersVersion(ctx, `purpose ${args.purpose} deactivated: ${reason}`);
      return purposeByCode(ctx.store.db, args.purpose);
    },
    addPerson: async (_: unknown, args: { input: { department?: string | null; name: string; roles: string[] }; reason: string }, ctx: AdminContext) => {
      requireReason(args.reason);
      const department = args.input.department ?? ctx.identity.department;
      requireAdminOf(ctx, department);
      await activeDepartment(ctx, department);
      const person = await insertPerson(ctx.store.db, { department, name: text(args.input.name, 'name', 100), roles: rolesOf(args.input.roles) }, actorFor(ctx), ctx.clock());
      return personView(ctx.store.db, person, ctx.clock());
    },
    setPersonRoles: async (_: unknown, args: { personId: string; roles: string[]; reason: string }, ctx: AdminContext) => {
      requireReason(args.reason);
      const person = await requirePerson(ctx, args.personId);
      if (person.deactivatedAt) throw badInput(`${person.name} was deactivated at ${person.deactivatedAt}`);
      const roles = rolesOf(args.roles);
      // A person does not take away their own administration by mistake: another administrator does.
      if (actingPerson()?.id === person.id && !roles.includes('ADMINISTRATOR')) throw badInput('you cannot remove your own ADMINISTRATOR role; another administrator of the department can');
      await ctx.store.db.updateTable('people').set({ roles_json: JSON.stringify(roles) }).where('id', '=', person.id).execute();
      return personView(ctx.store.db, (await personById(ctx.store.db, person.id))!, ctx.clock());
    },
    deactivatePerson: async (_: unknown, args: { personId: string; reason: string }, ctx: AdminContext) => {
      const reason = requireReason(args.reason);
      const person = await requirePerson(ctx, args.personId);
      if (actingPerson()?.id === person.id) throw badInput('you cannot deactivate yourself; another administrator of the department can');
      const offboarding = await deactivatePerson(ctx.store.db, person.id, actorFor(ctx), reason, ctx.clock());
      await ctx.store.changes.publish('tokens', person.id);
      if (!offboarding) throw badInput(`${person.name} was already deactivated at ${person.deactivatedAt}`);
      return {
        person: await personView(ctx.store.db, (await personById(ctx.store.db, person.id))!, ctx.clock()),
        draftsTo: offboarding.draftsTo, transferredApplications: offboarding.applications, transferredProposals: offboarding.proposals,
      };
    },
    nameActingApprover: async (_: unknown, args: { personId: string; validFrom: string; validUntil: string; reason: string }, ctx: AdminContext) => {
      const reason = requireReason(args.reason);
      const person = await requirePerson(ctx, args.personId);
      if (person.deactivatedAt) throw badInput(`${person.name} was deactivated at ${person.deactivatedAt}`);
      const validFrom = dateTime(args.validFrom, 'validFrom');
      const validUntil = dateTime(args.validUntil, 'validUntil');
      if (validUntil <= validFrom) throw badInput(`validUntil (${validUntil}) must be after validFrom (${validFrom})`);
      if (Date.parse(validUntil) - Date.parse(validFrom) > 366 * 86_400_000) throw badInput('an acting-approver period is at most a year; give the person the APPROVER role instead');
      return nameActingApprover(ctx.store.db, { department: person.department, personId: person.id, validFrom, validUntil, reason, namedBy: actorFor(ctx), at: ctx.clock() });
    },
    endActingApprover: async (_: unknown, args: { id: string; reason: string }, ctx: AdminContext) => {
      requireReason(args.reason);
      const period = await actingApproverById(ctx.store.db, args.id);
      if (!period) throw badInput(`there is no acting-approver period ${JSON.stringify(args.id)}`);
      requireAdminOf(ctx, period.department);
      if (!(await endActingApprover(ctx.store.db, period.id, actorFor(ctx), ctx.clock()))) throw badInput(`acting-approver period ${args.id} already ended at ${period.endedAt}`);
      return actingApproverById(ctx.store.db, period.id);
    },
    rotateAppToken: async (_: unknown, args: { id: string; reason: string; overlapMinutes: number; expiresAt?: string | null }, ctx: AdminContext) => {
      requireReason(args.reason);
      const app = await appOf(ctx, args.id);
      await activeDepartment(ctx, app.department);
      if (!Number.isInteger(args.overlapMinutes) || args.overlapMinutes < 0 || args.overlapMinutes > MAX_ROTATION_OVERLAP_MINUTES) {
        throw badInput(`overlapMinutes is a whole number from 0 to ${MAX_ROTATION_OVERLAP_MINUTES}, received ${args.overlapMinutes}`);
      }
      const expiresAt = args.expiresAt === undefined ? undefined : args.expiresAt === null ? null : futureExpiry(ctx, args.expiresAt);
      const rotated = await rotateCredentialToken(ctx.store.db, app.id, args.overlapMinutes, ctx.clock(), expiresAt);
      await ctx.store.changes.publish('tokens', app.id);
      if (!rotated) throw badInput(`app ${args.id} was revoked; issue a new one with createApp`);
      ctx.authenticator.forget();
      const view = await credentialView(ctx, app.id, app.department);
      return { id: app.id, name: view.name, department: app.department, token: rotated.token, expiresAt: view.expiresAt, previousValidUntil: rotated.previousValidUntil };
    },
    setAppExpiry: async (_: unknown, args: { id: string; expiresAt?: string | null; reason: string }, ctx: AdminContext) => {
      requireReason(args.reason);
      const app = await appOf(ctx, args.id);
      await setCredentialExpiry(ctx.store.db, app.id, args.expiresAt ? dateTime(args.expiresAt, 'expiresAt') : null);
      await ctx.store.changes.publish('tokens', app.id);
      ctx.authenticator.forget();
      return credentialView(ctx, app.id, app.department);
    },
  },
  Principal: {
    person: async (identity: { person?: { id: string } }, _: unknown, ctx: AdminContext) => {
      if (!identity.person) return null;
      const person = await personById(ctx.store.db, identity.person.id);
      return person ? personView(ctx.store.db, person, ctx.clock()) : null;
    },
  },
  Department: {
    /** Declared in the core schema and never resolved before issue 14: its own administrators and the office see them. */
    subgraphHosts: async (d: { code: string }, _: unknown, ctx: AdminContext) => {
      const { identity } = ctx;
      if (identity.kind !== 'PLATFORM_ADMIN' && !(identity.kind === 'DEPARTMENT_ADMIN' && identity.department === d.code)) return null;
      return hostsOf(ctx.store.db, d.code);
    },
    provider: (d: { role: string }) => d.role === 'PROVIDER' || d.role === 'PROVIDER_AND_CONSUMER',
    consumer: (d: { role: string }) => d.role === 'CONSUMER' || d.role === 'PROVIDER_AND_CONSUMER',
    createdAt: async (d: { code: string; createdAt?: string }, _: unknown, ctx: AdminContext) => d.createdAt ?? (await departmentByCode(ctx.store.db, d.code))?.createdAt ?? null,
    deactivatedAt: (d: { deactivatedAt?: string | null }) => d.deactivatedAt ?? null,
    deactivationReason: async (d: { code: string; deactivationReason?: string | null }, _: unknown, ctx: AdminContext) =>
      d.deactivationReason !== undefined ? d.deactivationReason : (await departmentByCode(ctx.store.db, d.code))?.deactivationReason ?? null,
  },
  Purpose: {
    nameEn: (p: { name_en?: string | null; nameEn?: string | null }) => p.nameEn ?? p.name_en ?? null,
    legalBasis: (p: { legal_basis?: string | null; legalBasis?: string | null }) => p.legalBasis ?? p.legal_basis ?? null,
    deactivatedAt: (p: { deactivated_at?: string | null; deactivatedAt?: string | null }) => p.deactivatedAt ?? p.deactivated_at ?? null,
    deactivationReason: (p: { deactivation_reason?: string | null; deactivationReason?: string | null }) => p.deactivationReason ?? p.deactivation_reason ?? null,
  },
  ActingApprover: {
    person: async (a: { personId: string }, _: unknown, ctx: AdminContext) => personView(ctx.store.db, (await personById(ctx.store.db, a.personId))!, ctx.clock()),
    active: (a: { validFrom: string; validUntil: string; endedAt: string | null }, _: unknown, ctx: AdminContext) => {
      const now = ctx.clock().toISOString();
      return !a.endedAt && a.validFrom <= now && now < a.validUntil;
    },
  },
  ApplicationEvent: {
    person: (e: { person?: { id: string; name: string } | null }) => e.person ?? null,
  },
  Application: {
    draftedBy: (a: { draftedByPerson?: string | null }, _: unknown, ctx: AdminContext) => personName(ctx.store.db, a.draftedByPerson),
  },
  PolicyVersion: {
    person: (v: { person?: { id: string; name: string } | null }) => v.person ?? null,
  },
  PolicyProposal: {
    proposedByPerson: (p: { proposedByPerson?: string | null }, _: unknown, ctx: AdminContext) => personName(ctx.store.db, p.proposedByPerson),
  },
};

function futureExpiry(ctx: AdminContext, value: string): string {
  const at = dateTime(value, 'expiresAt');
  if (at <= ctx.clock().toISOString()) throw badInput(`expiresAt ${value} is not in the future`);
  return at;
}
