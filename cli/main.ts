/**
 * `govgraph <area> <command> [arguments] [--flags]` — the management API on the command line.
 *
 *   govgraph applications list|inbox|escalations|show <id>
 *   govgraph applications apply --fields A,B --purpose P --justification J --basis B --until YYYY-MM-DD [--case C]
 *   govgraph applications approve <id> [--fields A,B --refusals '[{"coordinate":…,"ground":…,"text":…}]'] [--until D] [--reason R]
 *   govgraph applications reject|contest <id> --reason R
 *   govgraph applications arbitrate <id> (--grant|--uphold) --reason R
 *   govgraph applications contest-field <id> --field Type.field --reason R   (the consumer contests one field's refusal)
 *   govgraph applications arbitrate-field <id> --field Type.field (--grant|--uphold) --reason R [--until D]
 *   govgraph applications escalate
 *   govgraph applications undertake <id> --purpose P --no-onward-transfer --retention-days N   (the consumer's use undertaking, 003 ××市 art. 12)
 *   govgraph policy marked | override-mandate <Type.field> --reason R | withdraw-mandate-override <Type.field> --reason R   (003 Guangdong art. 4)
 *   govgraph seals keys [--issuer C] [--department D] | rotate <issuer> --reason R [--name N] | revoke <keyId> --reason R [--from T]
 *   govgraph seals verify --file document.json | --content FILE --seal FILE   (against the issuer seal-key registry, R12)
 *   govgraph policy show <Type.field> | list [--provider P] | history | access
 *   govgraph policy set <Type.field> --class C [--purposes A,B] [--basis B] --reason R [--override]  (a department's field: --override, 000 art. 9)
 *   govgraph policy rollback <version> --reason R
 *   govgraph grants list | revoke <id> --reason R
 *   govgraph subgraph list | versions | check <name> --url U [--schema FILE] | publish <name> --url U [--schema FILE] --reason R [--accept-breaking]
 *   govgraph subgraph rollback <version> --reason R
 *   govgraph catalogue export [--format json|csv] [--out FILE] | updates [--status open|overdue|all]
 *   govgraph report evaluation --year 2026 [--department D] [--format json|csv|svg] [--out FILE]
 *   govgraph report status --year 2026   (partial? published? — the report's state, without its body)
 *   govgraph report summary --year 2026 | publish --year 2026 --reason R   (the coordinating office, R11)
 *   govgraph notifications
 *   govgraph departments language <code> --language zh|en --reason R   (the language of reports made for it)
 *   govgraph departments list | add <code> --name N --name-en E (--provides and/or --consumes) [--jurisdiction J] [--webhook U] [--hosts H1,H2] --reason R | deactivate <code> --reason R
 *   govgraph purposes list | add <CODE> --name N --basis B [--name-en E] --reason R | deactivate <CODE> --reason R
 *   govgraph people list [--department D] | add --name N --roles DRAFTER,APPROVER [--department D] --reason R | roles <id> --roles R1,R2 --reason R
 *   govgraph people deactivate <id> --reason R | acting <id> --from T --until T --reason R
 *   govgraph apps list [--department D] | create --name N [--department D] [--expires T] | rotate <id> --reason R [--overlap MINUTES] [--expires T]
 *   govgraph apps expire <id> --expires T|never --reason R | revoke <id> --reason R
 *   govgraph audit verify | query [...]
 *   govgraph keys status | reencrypt | rotate     (the platform key, R10; local, no token)
 *   govgraph backup --out DIR | backup check --from DIR | restore --from DIR   (the stores; local, no token)
 *   govgraph keys signing | rotate-signing [context|audit-checkpoint] | subgraph-mac <name>   (the gateway's signing keys, in the store)
 *   govgraph migrate | gateway | subgraph <name>   (production processes, one job each: issue 15; see platform/processCommands.ts)
 *
 * Connection: --admin-url/--token, GOVGRAPH_ADMIN_URL/GOVGRAPH_TOKEN, or --as <dept>[:app] | --as platform (demo).
 * Help: `govgraph --help`, `govgraph <area> --help`, `govgraph <area> <command> --help` (cli/help.ts: every
 * flag; Chinese when LC_ALL/LC_MESSAGES/LANG begins with zh, else English).
 * Output: a table on a terminal, JSON with --json. When stdout is not a terminal JSON stays the default:
 * scripts and tests have always parsed it (test/cli.test.ts), and a pipe is a script's, not a person's.
 * Exit codes: 0 done; 1 error (refused by the server, a required flag missing, the platform
 * unreachable — a one-line message, no stack); 2 usage (unknown area, command or option).
 */
import { parseArgs } from 'node:util';
import { adminClient, CliError } from './adminClient.ts';
import { cliLanguage, helpFor, HELP } from './help.ts';
import { renderHuman } from './table.ts';
import type { PlatformConfig } from '../platform/config.ts';

const APPLICATION = 'id consumer provider purpose status submittedAt dueDate dueDateProvisional decidedBy decisionReason approvedUntil escalationCause fields { coordinate sharingClass approved }';

type Flags = Record<string, string | boolean | undefined>;
type Command = (args: string[], flags: Flags) => Promise<unknown>;

const list = (value: unknown) => (typeof value === 'string' && value ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
function need(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value) throw new CliError(`missing ${what}`);
  return value;
}

const client = (flags: Flags) => adminClient(flags);

function yearFlag(f: Flags): number {
  const year = Number(need(f.year, '--year'));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new CliError(`--year is a year such as 2026, received ${String(f.year)}`);
  return year;
}

const NEED = 'id consumer provider dataWanted purpose status statedAt consultationDue answer answerGround answerReasons decisionDue escalatedAt decision decisionReasons overdue';
const REVIEW = 'id entryCode provider status submittedAt submittedBy dueDate decidedAt decidedBy reasons late';
const NOTICE = 'id department source violationKind detail dueDate status answer answeredAt escalatedAt overdue';
const COMPLAINT = 'id complainant against subject facts status handledAt reasons noticeId';
const DEPARTMENT = 'code name nameEn role provider consumer jurisdiction language subgraphHosts deactivatedAt deactivationReason';
const PURPOSE = 'code name nameEn legalBasis deactivatedAt deactivationReason';
const PERSON = 'id department name roles effectiveRoles deactivatedAt';
const CREDENTIAL = 'id kind name createdAt expiresAt lastUsedAt rotatedAt previousValidUntil revokedAt revokeReason';

const CHECK = 'subgraph ok composition { code message locations { subgraph line column } } classificationErrors unclassified breakingChanges { kind coordinate description } affectedUsage { coordinate consumer operationName requests lastSeen }';

async function subgraphInput(name: string | undefined, f: Flags) {
  const { readFile } = await import('node:fs/promises');
  return {
    name: need(name, 'subgraph name'),
    url: need(f.url, '--url of the running subgraph'),
    sdl: typeof f.schema === 'string' ? await readFile(f.schema, 'utf8') : null,
    department: f.department ?? null,
  };
}

/** The refusals of the fields an approval leaves out, given as JSON on the command line. */
function refusalsFlag(text: string | boolean | undefined): unknown[] | null {
  if (typeof text !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // Reported below with what was expected.
  }
  throw new CliError('--refusals takes a JSON list: [{"coordinate":"Parcel.mortgages","ground":"PERSONAL_PRIVACY","text":"…"}]');
}

/**
 * A sealed document for `seals verify`: --file with a licence document as the data graph returns
 * it ({ content, seal: { record } }, or a whole response holding one), or --content and --seal
 * files (the content's exact text; the seal record's JSON).
 */
async function sealedDocumentFlags(f: Flags): Promise<{ content: string; seal: string }> {
  const { readFile } = await import('node:fs/promises');
  if (typeof f.content === 'string' && typeof f.seal === 'string') return { content: await readFile(f.content, 'utf8'), seal: (await readFile(f.seal, 'utf8')).trim() };
  if (typeof f.file !== 'string') throw new CliError('say --file licence-document.json (as the data graph returns licence { document { content seal { record } } }), or --content FILE --seal FILE');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(f.file, 'utf8'));
  } catch (error) {
    throw new CliError(`--file ${f.file} is not JSON: ${(error as Error).message}`);
  }
  const found = findSealedDocument(parsed, 0);
  if (!found) throw new CliError(`--file ${f.file} holds no licence document: expected an object with content (a string) and seal (its record, or { record })`);
  return found;
}

function findSealedDocument(value: unknown, depth: number): { content: string; seal: string } | null {
  if (!value || typeof value !== 'object' || depth > 8) return null;
  const o = value as Record<string, unknown>;
  const record = typeof o.seal === 'string' ? o.seal : o.seal && typeof o.seal === 'object' ? (o.seal as Record<string, unknown>).record : undefined;
  if (typeof o.content === 'string' && typeof record === 'string') return { content: o.content, seal: record };
  for (const child of Object.values(o)) {
    const found = findSealedDocument(child, depth + 1);
    if (found) return found;
  }
  return null;
}

const COMMANDS: Record<string, Record<string, Command>> = {
  applications: {
    list: async (_, f) => (await client(f).request(`query($s: ApplicationStatus) { applications(status: $s) { ${APPLICATION} } }`, { s: f.status })).applications,
    inbox: async (_, f) => (await client(f).request(`{ inbox { ${APPLICATION} } }`)).inbox,
    escalations: async (_, f) => (await client(f).request(`{ escalations { ${APPLICATION} } }`)).escalations,
    show: async ([id], f) => (await client(f).request(`query($id: ID!) { application(id: $id) { ${APPLICATION} justification legalBasis events { at actor action fromStatus toStatus reason } grants { id coordinate validUntil active awaitingUndertaking } undertaking { purpose noOnwardTransfer retentionDays acceptedBy acceptedAt } } }`, { id: need(id, 'application id') })).application,
    apply: async (_, f) => (await client(f).request(`mutation($i: ApplicationInput!) { applyForAccess(input: $i) { ${APPLICATION} } }`, {
      i: { coordinates: list(f.fields) ?? [], purpose: need(f.purpose, '--purpose'), justification: need(f.justification, '--justification'), legalBasis: need(f.basis, '--basis'), requestedUntil: need(f.until, '--until'), caseRef: f.case ?? null },
    })).applyForAccess,
    // --refusals: a JSON list of { coordinate, ground, lawName, text }, one for each field left out (R5).
    approve: async ([id], f) => (await client(f).request(`mutation($id: ID!, $c: [String!], $u: String, $r: String, $rf: [FieldRefusalInput!]) { approveApplication(id: $id, coordinates: $c, validUntil: $u, reason: $r, refusals: $rf) { ${APPLICATION} } }`, { id: need(id, 'application id'), c: list(f.fields), u: f.until, r: f.reason, rf: refusalsFlag(f.refusals) })).approveApplication,
    reject: async ([id], f) => (await client(f).request(`mutation($id: ID!, $r: String!) { rejectApplication(id: $id, reason: $r) { ${APPLICATION} } }`, { id: need(id, 'application id'), r: need(f.reason, '--reason') })).rejectApplication,
    contest: async ([id], f) => (await client(f).request(`mutation($id: ID!, $r: String!) { contestApplication(id: $id, reason: $r) { ${APPLICATION} } }`, { id: need(id, 'application id'), r: need(f.reason, '--reason') })).contestApplication,
    arbitrate: async ([id], f) => {
      if (!f.grant === !f.uphold) throw new CliError('say --grant or --uphold');
      return (await client(f).request(`mutation($id: ID!, $g: Boolean!, $r: String!) { arbitrateApplication(id: $id, grant: $g, reason: $r) { ${APPLICATION} } }`, { id: need(id, 'application id'), g: Boolean(f.grant), r: need(f.reason, '--reason') })).arbitrateApplication;
    },
    escalate: async (_, f) => (await client(f).request('mutation { escalateOverdueApplications }')).escalateOverdueApplications,
    // Issue 21 (003 ××市 art. 12): the consumer's approver accepts the use undertaking; --no-onward-transfer is required.
    undertake: async ([id], f) => {
      if (!f['no-onward-transfer']) throw new CliError('the undertaking includes no onward transfer (003 ××市 art. 12): pass --no-onward-transfer');
      const days = Number(need(f['retention-days'], '--retention-days N'));
      return (await client(f).request('mutation($id: ID!, $p: String!, $d: Int!) { undertakeApplication(id: $id, purpose: $p, noOnwardTransfer: true, retentionDays: $d) { applicationId consumer purpose noOnwardTransfer retentionDays acceptedBy acceptedByPerson acceptedAt } }', {
        id: need(id, 'application id'), p: need(f.purpose, '--purpose "what the data is used for"'), d: days,
      })).undertakeApplication;
    },
    'contest-field': async ([id], f) => (await client(f).request(`mutation($id: ID!, $c: String!, $r: String!) { contestApplicationField(id: $id, coordinate: $c, reason: $r) { ${APPLICATION} } }`, {
      id: need(id, 'application id'), c: need(f.field, '--field Type.field'), r: need(f.reason, '--reason'),
    })).contestApplicationField,
    'arbitrate-field': async ([id], f) => {
      if (!f.grant === !f.uphold) throw new CliError('say --grant or --uphold');
      return (await client(f).request(`mutation($id: ID!, $c: String!, $g: Boolean!, $r: String!, $u: String) { arbitrateApplicationField(id: $id, coordinate: $c, grant: $g, reason: $r, validUntil: $u) { ${APPLICATION} } }`, {
        id: need(id, 'application id'), c: need(f.field, '--field Type.field'), g: Boolean(f.grant), r: need(f.reason, '--reason'), u: f.until ?? null,
      })).arbitrateApplicationField;
    },
  },
  policy: {
    show: async ([c], f) => (await client(f).request('query($c: String!) { fieldPolicy(coordinate: $c) { coordinate sharingClass purposes basis caseIdRequired rowCondition { kind attribute } provider origin } }', { c: need(c, 'field coordinate') })).fieldPolicy,
    list: async (_, f) => (await client(f).request('query($p: String) { fieldPolicies(provider: $p) { coordinate sharingClass purposes provider origin } }', { p: f.provider })).fieldPolicies,
    history: async (_, f) => (await client(f).request('{ policyHistory { version kind actor reason createdAt } }')).policyHistory,
    access: async (_, f) => (await client(f).request('{ myAccess { coordinate status readableFor applicableFor basis } }')).myAccess,
    set: async ([c], f) => (await client(f).request('mutation($c: String!, $p: FieldPolicyInput!, $r: String!, $o: Boolean) { setFieldPolicy(coordinate: $c, policy: $p, reason: $r, override: $o) { version policy { coordinate sharingClass purposes basis } } }', {
      c: need(c, 'field coordinate'), r: need(f.reason, '--reason'), o: f.override === 'false' ? false : true,
      p: { sharingClass: need(f.class, '--class'), purposes: list(f.purposes) ?? [], basis: f.basis ?? null },
    })).setFieldPolicy,
    rollback: async ([v], f) => (await client(f).request('mutation($v: Int!, $r: String!) { rollbackPolicy(toVersion: $v, reason: $r) { version } }', { v: Number(need(v, 'version')), r: need(f.reason, '--reason') })).rollbackPolicy,
    // Issue 21 (003 Guangdong art. 4): basic and licensing-related items, and the coordinating office's overrides.
    marked: async (_, f) => (await client(f).request('{ markedItems { coordinate mandate provider sharingClass override { id reason grantedBy grantedAt } } }')).markedItems,
    'override-mandate': async ([c], f) => (await client(f).request('mutation($c: String!, $r: String!) { overrideItemMandate(coordinate: $c, reason: $r) { id coordinate reason grantedBy grantedAt } }', { c: need(c, 'field coordinate'), r: need(f.reason, '--reason') })).overrideItemMandate,
    'withdraw-mandate-override': async ([c], f) => (await client(f).request('mutation($c: String!, $r: String!) { withdrawItemMandateOverride(coordinate: $c, reason: $r) { id coordinate withdrawnAt withdrawnBy withdrawalReason } }', { c: need(c, 'field coordinate'), r: need(f.reason, '--reason') })).withdrawItemMandateOverride,
  },
  seals: {
    // R12 (004 art. 22–23): the issuer seal-key registry, and verification against it — never against a key the document carries.
    keys: async (_, f) => (await client(f).request('query($i: String, $d: String) { sealKeys(issuerCode: $i, department: $d) { keyId department issuerCode issuerName algorithm validFrom validUntil revokedAt revocationReason } }', { i: f.issuer ?? null, d: f.department ?? null })).sealKeys,
    rotate: async ([issuer], f) => (await client(f).request('mutation($i: String!, $n: String, $r: String!) { rotateSealKey(issuerCode: $i, issuerName: $n, reason: $r) { keyId issuerCode issuerName validFrom } }', { i: need(issuer, 'issuer code'), n: f.name ?? null, r: need(f.reason, '--reason') })).rotateSealKey,
    revoke: async ([keyId], f) => (await client(f).request('mutation($id: ID!, $r: String!, $from: String) { revokeSealKey(id: $id, reason: $r, from: $from) { keyId revokedAt revocationReason } }', { id: need(keyId, 'key id'), r: need(f.reason, '--reason'), from: f.from ?? null })).revokeSealKey,
    verify: async (_, f) => {
      const { content, seal } = await sealedDocumentFlags(f);
      const result = (await client(f).request('query($c: String!, $s: String!) { verifyElectronicSeal(content: $c, seal: $s) { valid verdict message signedAt key { keyId issuerCode issuerName algorithm validFrom validUntil revokedAt } } }', { c: content, s: seal })).verifyElectronicSeal as { valid: boolean; verdict: string; message: string };
      if (!result.valid) throw new CliError(`the seal does not verify against the registry: ${result.verdict}: ${result.message}`);
      return result;
    },
  },
  grants: {
    list: async (_, f) => (await client(f).request('query($c: String) { grants(consumer: $c, includeInactive: true) { id consumer coordinate purpose validFrom validUntil revokedAt active awaitingUndertaking undertaking { purpose noOnwardTransfer retentionDays acceptedAt } } }', { c: f.consumer })).grants,
    revoke: async ([id], f) => (await client(f).request('mutation($id: ID!, $r: String!) { revokeGrant(id: $id, reason: $r) { id active revokedAt } }', { id: need(id, 'grant id'), r: need(f.reason, '--reason') })).revokeGrant,
  },
  subgraph: {
    list: async (_, f) => (await client(f).request('{ subgraphs { name department url healthy healthSince healthDetail } }')).subgraphs,
    versions: async (_, f) => (await client(f).request('{ supergraphVersions { version kind actor reason createdAt subgraphs } }')).supergraphVersions,
    check: async ([name], f) => (await client(f).request(`query($i: SubgraphInput!) { checkSubgraph(input: $i) { ${CHECK} } }`, { i: await subgraphInput(name, f) })).checkSubgraph,
    publish: async ([name], f) => (await client(f).request(`mutation($i: SubgraphInput!, $r: String!, $a: Boolean) { publishSubgraph(input: $i, reason: $r, acceptBreaking: $a) { version { version kind subgraphs } check { ${CHECK} } } }`, {
      i: await subgraphInput(name, f), r: need(f.reason, '--reason'), a: Boolean(f['accept-breaking']),
    })).publishSubgraph,
    rollback: async ([v], f) => (await client(f).request('mutation($v: Int!, $r: String!) { rollbackSupergraph(toVersion: $v, reason: $r) { version kind subgraphs } }', { v: Number(need(v, 'version')), r: need(f.reason, '--reason') })).rollbackSupergraph,
  },
  report: {
    evaluation: async (_, f) => {
      const year = Number(need(f.year, '--year'));
      const data = (await client(f).request('query($d: String, $y: Int!) { evaluationReport(department: $d, year: $y) { json csv svg } }', { d: f.department ?? null, y: year })).evaluationReport;
      const format = (f.format as string | undefined) ?? 'json';
      if (!['json', 'csv', 'svg'].includes(format)) throw new CliError('--format is json, csv or svg');
      const text = format === 'json' ? data.json : format === 'csv' ? data.csv : data.svg;
      if (typeof f.out === 'string') {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(f.out, text);
        return { written: f.out, format };
      }
      return format === 'json' ? JSON.parse(text) : text;
    },
    status: async (_, f) => (await client(f).request('query($d: String, $y: Int!) { evaluationReport(department: $d, year: $y) { department year generatedOn partial published publishedAt } }', {
      d: f.department ?? null, y: yearFlag(f),
    })).evaluationReport,
    summary: async (_, f) => (await client(f).request('query($y: Int!) { evaluationSummary(year: $y) { year partial published publication { publishedAt publishedBy reason departments } rows { department departmentName fieldsShared fieldsNotShared fieldsUnclassified applicationsReceived applicationsOnTime applicationsLateOrUnanswered catalogueUpdatesLate objectionsReceived objectionsResolvedOnTime objectionsInconsistent requestsServed } } }', { y: yearFlag(f) })).evaluationSummary,
    publish: async (_, f) => (await client(f).request('mutation($y: Int!, $r: String!) { publishEvaluationReports(year: $y, reason: $r) { year publishedAt publishedBy reason departments } }', { y: yearFlag(f), r: need(f.reason, '--reason') })).publishEvaluationReports,
  },
  departments: {
    list: async (_, f) => (await client(f).request('{ departments { code name nameEn role jurisdiction language subgraphHosts deactivatedAt deactivationReason } }')).departments,
    add: async ([code], f) => (await client(f).request(`mutation($i: DepartmentInput!, $r: String!) { addDepartment(input: $i, reason: $r) { ${DEPARTMENT} } }`, {
      i: {
        code: need(code, 'department code'), name: need(f.name, '--name'), nameEn: need(f['name-en'], '--name-en'), provider: Boolean(f.provides), consumer: Boolean(f.consumes),
        jurisdiction: f.jurisdiction ?? null, webhookUrl: f.webhook ?? null, subgraphHosts: list(f.hosts) ?? null,
      },
      r: need(f.reason, '--reason'),
    })).addDepartment,
    deactivate: async ([code], f) => (await client(f).request(`mutation($d: String!, $r: String!) { deactivateDepartment(department: $d, reason: $r) { ${DEPARTMENT} } }`, { d: need(code, 'department code'), r: need(f.reason, '--reason') })).deactivateDepartment,
    language: async ([code], f) => (await client(f).request(`mutation($d: String!, $l: String!, $r: String!) { setDepartmentLanguage(department: $d, language: $l, reason: $r) { ${DEPARTMENT} } }`, {
      d: need(code, 'department code'), l: need(f.language, '--language zh|en'), r: need(f.reason, '--reason'),
    })).setDepartmentLanguage,
  },
  purposes: {
    list: async (_, f) => (await client(f).request(`{ purposes { ${PURPOSE} } }`)).purposes,
    add: async ([code], f) => (await client(f).request(`mutation($i: PurposeInput!, $r: String!) { addPurpose(input: $i, reason: $r) { ${PURPOSE} } }`, {
      i: { code: need(code, 'purpose code'), name: need(f.name, '--name'), nameEn: f['name-en'] ?? null, legalBasis: need(f.basis, '--basis') }, r: need(f.reason, '--reason'),
    })).addPurpose,
    deactivate: async ([code], f) => (await client(f).request(`mutation($p: String!, $r: String!) { deactivatePurpose(purpose: $p, reason: $r) { ${PURPOSE} } }`, { p: need(code, 'purpose code'), r: need(f.reason, '--reason') })).deactivatePurpose,
  },
  people: {
    list: async (_, f) => (await client(f).request(`query($d: String) { people(department: $d) { ${PERSON} } }`, { d: f.department ?? null })).people,
    add: async (_, f) => (await client(f).request(`mutation($i: PersonInput!, $r: String!) { addPerson(input: $i, reason: $r) { ${PERSON} } }`, {
      i: { name: need(f.name, '--name'), roles: list(f.roles) ?? [], department: f.department ?? null }, r: need(f.reason, '--reason'),
    })).addPerson,
    roles: async ([id], f) => (await client(f).request(`mutation($p: ID!, $roles: [PersonRole!]!, $r: String!) { setPersonRoles(personId: $p, roles: $roles, reason: $r) { ${PERSON} } }`, { p: need(id, 'person id'), roles: list(f.roles) ?? [], r: need(f.reason, '--reason') })).setPersonRoles,
    deactivate: async ([id], f) => (await client(f).request(`mutation($p: ID!, $r: String!) { deactivatePerson(personId: $p, reason: $r) { person { ${PERSON} } draftsTo { id name } transferredApplications transferredProposals } }`, { p: need(id, 'person id'), r: need(f.reason, '--reason') })).deactivatePerson,
    acting: async ([id], f) => (await client(f).request('mutation($p: ID!, $f: String!, $u: String!, $r: String!) { nameActingApprover(personId: $p, validFrom: $f, validUntil: $u, reason: $r) { id validFrom validUntil active } }', {
      p: need(id, 'person id'), f: need(f.from, '--from'), u: need(f.until, '--until'), r: need(f.reason, '--reason'),
    })).nameActingApprover,
  },
  apps: {
    list: async (_, f) => (await client(f).request(`query($d: String) { credentials(department: $d) { ${CREDENTIAL} } }`, { d: f.department ?? null })).credentials,
    create: async (_, f) => (await client(f).request('mutation($d: String, $n: String!, $e: String) { createApp(department: $d, name: $n, expiresAt: $e) { id name department token expiresAt } }', { d: f.department ?? null, n: need(f.name, '--name'), e: f.expires ?? null })).createApp,
    rotate: async ([id], f) => (await client(f).request('mutation($id: ID!, $r: String!, $o: Int, $e: String) { rotateAppToken(id: $id, reason: $r, overlapMinutes: $o, expiresAt: $e) { id name token expiresAt previousValidUntil } }', {
      id: need(id, 'app id'), r: need(f.reason, '--reason'), o: typeof f.overlap === 'string' ? Number(f.overlap) : undefined, ...(typeof f.expires === 'string' ? { e: f.expires } : {}),
    })).rotateAppToken,
    expire: async ([id], f) => (await client(f).request(`mutation($id: ID!, $e: String, $r: String!) { setAppExpiry(id: $id, expiresAt: $e, reason: $r) { ${CREDENTIAL} } }`, {
      id: need(id, 'app id'), e: need(f.expires, '--expires (an ISO date-time, or never)') === 'never' ? null : f.expires, r: need(f.reason, '--reason'),
    })).setAppExpiry,
    revoke: async ([id], f) => (await client(f).request('mutation($id: ID!, $r: String) { revokeCredential(id: $id, reason: $r) }', { id: need(id, 'app id'), r: need(f.reason, '--reason') })).revokeCredential,
  },
  notifications: {
    list: async (_, f) => (await client(f).request('{ notifications { id kind message createdAt readAt } }')).notifications,
  },
  // Issue 21: the needs register (000 art. 9, 13).
  needs: {
    list: async (_, f) => (await client(f).request(`query($s: SharingNeedStatus) { sharingNeeds(status: $s) { ${NEED} } }`, { s: f.status ?? null })).sharingNeeds,
    show: async ([id], f) => (await client(f).request(`query($id: ID!) { sharingNeed(id: $id) { ${NEED} description legalBasis matches { entryCode coordinate provider access } events { at action actor person { id name } note } } }`, { id: need(id, 'need id') })).sharingNeed,
    state: async (_, f) => (await client(f).request(`mutation($i: SharingNeedInput!) { stateSharingNeed(input: $i) { ${NEED} matches { entryCode coordinate provider access } } }`, {
      i: { dataWanted: need(f.data, '--data (the data wanted)'), purpose: need(f.purpose, '--purpose'), legalBasis: need(f.basis, '--basis'), description: f.description ?? null, provider: f.provider ?? null },
    })).stateSharingNeed,
    met: async ([id], f) => (await client(f).request(`mutation($id: ID!, $n: String) { markSharingNeedMet(id: $id, note: $n) { ${NEED} } }`, { id: need(id, 'need id'), n: f.reason ?? null })).markSharingNeedMet,
    consult: async ([id], f) => (await client(f).request(`mutation($id: ID!, $p: String!, $r: String!) { consultOnSharingNeed(id: $id, provider: $p, reason: $r) { ${NEED} } }`, { id: need(id, 'need id'), p: need(f.provider, '--provider'), r: need(f.reason, '--reason') })).consultOnSharingNeed,
    answer: async ([id], f) => {
      if (!f.can === !f.cannot) throw new CliError('say --can or --cannot (with --ground STATE_SECRET|COMMERCIAL_SECRET|PERSONAL_PRIVACY|OTHER_LEGAL)');
      return (await client(f).request(`mutation($id: ID!, $a: SharingNeedAnswer!, $g: SharingNeedRefusalGround, $r: String!) { answerSharingNeed(id: $id, answer: $a, ground: $g, reasons: $r) { ${NEED} } }`, {
        id: need(id, 'need id'), a: f.can ? 'CAN_PROVIDE' : 'CANNOT_PROVIDE', g: f.ground ?? null, r: need(f.reason, '--reason'),
      })).answerSharingNeed;
    },
    decide: async ([id], f) => {
      if (!f.grant === !f.uphold) throw new CliError('say --grant (the provider provides) or --uphold (not provided)');
      return (await client(f).request(`mutation($id: ID!, $d: SharingNeedDecision!, $r: String!) { decideSharingNeed(id: $id, decision: $d, reasons: $r) { ${NEED} } }`, { id: need(id, 'need id'), d: f.grant ? 'PROVIDE' : 'NOT_PROVIDE', r: need(f.reason, '--reason') })).decideSharingNeed;
    },
    withdraw: async ([id], f) => (await client(f).request(`mutation($id: ID!, $r: String!) { withdrawSharingNeed(id: $id, reason: $r) { ${NEED} } }`, { id: need(id, 'need id'), r: need(f.reason, '--reason') })).withdrawSharingNeed,
    escalate: async (_, f) => (await client(f).request('mutation { escalateOverdueSharingNeeds }')).escalateOverdueSharingNeeds,
  },
  // Issue 21: catalogue review and filing (001 art. 9–10).
  'catalogue-review': {
    list: async (_, f) => (await client(f).request(`query($s: CatalogueReviewStatus, $p: String) { catalogueReviews(status: $s, provider: $p) { ${REVIEW} } }`, { s: f.status ?? null, p: f.provider ?? null })).catalogueReviews,
    submit: async ([entry], f) => (await client(f).request(`mutation($c: String!, $n: String) { submitCatalogueChange(code: $c, note: $n) { ${REVIEW} } }`, { c: need(entry, 'entry code'), n: f.reason ?? null })).submitCatalogueChange,
    file: async ([id], f) => (await client(f).request(`mutation($id: ID!, $n: String) { fileCatalogueChange(id: $id, note: $n) { ${REVIEW} } }`, { id: need(id, 'review id'), n: f.reason ?? null })).fileCatalogueChange,
    return: async ([id], f) => (await client(f).request(`mutation($id: ID!, $r: String!) { returnCatalogueChange(id: $id, reasons: $r) { ${REVIEW} } }`, { id: need(id, 'review id'), r: need(f.reason, '--reason') })).returnCatalogueChange,
  },
  // Issue 21: rectification notices and complaints (003 art. 21; 004 art. 32–33).
  rectification: {
    list: async (_, f) => (await client(f).request(`query($s: RectificationNoticeStatus) { rectificationNotices(status: $s) { ${NOTICE} } }`, { s: f.status ?? null })).rectificationNotices,
    'open-from-evaluation': async (_, f) => (await client(f).request(`mutation($y: Int!) { openRectificationNotices(year: $y) { ${NOTICE} } }`, { y: yearFlag(f) })).openRectificationNotices,
    open: async ([department], f) => (await client(f).request(`mutation($d: String!, $k: String!, $t: String!) { openRectificationNotice(department: $d, violationKind: $k, detail: $t) { ${NOTICE} } }`, {
      d: need(department, 'department code'), k: need(f.kind, '--kind (the violation)'), t: need(f.description, '--description (the facts)'),
    })).openRectificationNotice,
    answer: async ([id], f) => (await client(f).request(`mutation($id: ID!, $r: String!) { answerRectificationNotice(id: $id, rectified: $r) { ${NOTICE} } }`, { id: need(id, 'notice id'), r: need(f.reason, '--reason (what was rectified)') })).answerRectificationNotice,
    escalate: async (_, f) => (await client(f).request('mutation { escalateOverdueRectificationNotices }')).escalateOverdueRectificationNotices,
  },
  complaints: {
    list: async (_, f) => (await client(f).request(`query($s: ComplaintStatus) { complaints(status: $s) { ${COMPLAINT} } }`, { s: f.status ?? null })).complaints,
    lodge: async ([against], f) => (await client(f).request(`mutation($a: String!, $s: String!, $t: String!) { lodgeComplaint(against: $a, subject: $s, facts: $t) { ${COMPLAINT} } }`, {
      a: need(against, 'department complained of'), s: need(f.subject, '--subject'), t: need(f.description, '--description (the facts)'),
    })).lodgeComplaint,
    handle: async ([id], f) => {
      if (!f.accept === !f.reject) throw new CliError('say --accept (with --description: the rectification to order) or --reject');
      return (await client(f).request(`mutation($id: ID!, $a: Boolean!, $r: String!, $n: String) { handleComplaint(id: $id, accept: $a, reasons: $r, noticeDetail: $n) { ${COMPLAINT} } }`, {
        id: need(id, 'complaint id'), a: Boolean(f.accept), r: need(f.reason, '--reason'), n: f.description ?? null,
      })).handleComplaint;
    },
  },
};

const STRING_OPTIONS = [
  'as', 'url', 'token', 'fields', 'purpose', 'justification', 'basis', 'until', 'case', 'reason', 'class', 'purposes', 'provider', 'status',
  'consumer', 'field', 'key', 'from', 'to', 'limit', 'year', 'format', 'out', 'department', 'after', 'schema', 'admin-url', 'refusals',
  'name', 'name-en', 'jurisdiction', 'webhook', 'hosts', 'roles', 'expires', 'overlap', 'language',
  'data', 'description', 'ground', 'kind', 'subject',
] as const;
export const OPTIONS = {
  ...Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' as const }])),
  grant: { type: 'boolean' as const },
  uphold: { type: 'boolean' as const },
  'accept-breaking': { type: 'boolean' as const },
  provides: { type: 'boolean' as const },
  consumes: { type: 'boolean' as const },
  can: { type: 'boolean' as const },
  accept: { type: 'boolean' as const },
  reject: { type: 'boolean' as const },
  cannot: { type: 'boolean' as const },
  override: { type: 'boolean' as const },
  help: { type: 'boolean' as const, short: 'h' },
  json: { type: 'boolean' as const },
  table: { type: 'boolean' as const },
};

/** A command line that cannot be understood: exit 2, with the usage. */
class UsageError extends Error {}

/** JSON for scripts, a table for people: --json / --table, else JSON unless stdout is a terminal. */
export function wantsJson(argv: readonly string[], stdout: { isTTY?: boolean } = process.stdout): boolean {
  if (argv.includes('--json')) return true;
  if (argv.includes('--table')) return false;
  return !stdout.isTTY;
}

function print(result: unknown, argv: readonly string[]): void {
  if (typeof result === 'string') process.stdout.write(result);
  else process.stdout.write(wantsJson(argv) ? `${JSON.stringify(result, null, 2)}\n` : renderHuman(result, cliLanguage() === 'zh' ? '(无)' : '(none)'));
}

/** An error's one line for the person at the terminal; the stack only with GOVGRAPH_DEBUG=1. */
function describeError(error: unknown): string {
  if (error instanceof CliError || error instanceof UsageError) return error.message;
  const e = error as Error;
  return process.env.GOVGRAPH_DEBUG ? e.stack ?? String(e) : e.message ?? String(e);
}

type LocalCommand = (argv: string[], config: PlatformConfig) => Promise<unknown>;

/** Commands run on the platform's own machine, loaded on use. */
const LOCAL_COMMANDS: Record<string, LocalCommand> = {
  keys: async (argv, config) => {
    const { runKeysCommand, runSigningKeysCommand, SIGNING_KEY_COMMANDS } = await import('../platform/keysCommand.ts');
    return argv[1] && SIGNING_KEY_COMMANDS.includes(argv[1]) ? runSigningKeysCommand(argv[1], argv.slice(2), config) : runKeysCommand(argv[1], config);
  },
  backup: async (argv, config) => (await import('../platform/backupCommand.ts')).runBackupCommand('backup', argv.slice(1), config),
  restore: async (argv, config) => (await import('../platform/backupCommand.ts')).runBackupCommand('restore', argv.slice(1), config),
};

/** The subgraph area's management commands; any other word after `subgraph` names a subgraph to run. */
const SUBGRAPH_MANAGEMENT = new Set(['list', 'versions', 'check', 'publish', 'rollback']);

/** `govgraph migrate | gateway | subgraph <name>`: processes, not management API calls. */
async function runProcessCommand(argv: string[]): Promise<number | null> {
  const [area, name] = argv;
  const isSubgraph = area === 'subgraph' && name !== undefined && !name.startsWith('-') && !SUBGRAPH_MANAGEMENT.has(name);
  if (area !== 'migrate' && area !== 'gateway' && !isSubgraph) return null;
  try {
    const [commands, { loadConfig }] = await Promise.all([import('../platform/processCommands.ts'), import('../platform/config.ts')]);
    const config = loadConfig();
    if (area === 'migrate') process.stdout.write(`${JSON.stringify(await commands.runMigrate(config), null, 2)}\n`);
    else if (area === 'gateway') await commands.runGatewayReplica(config);
    else await commands.runSubgraphProcess(name!, config);
    return 0;
  } catch (error) {
    process.stderr.write(`govgraph: ${(error as Error).message}\n`);
    return 1;
  }
}

const wantsHelp = (argv: readonly string[]) => argv[0] === 'help' || argv.includes('--help') || argv.includes('-h');

export async function runCli(argv: string[]): Promise<number> {
  const lang = cliLanguage();
  if (argv.length === 0 || wantsHelp(argv)) {
    const words = argv.filter((a) => !a.startsWith('-') && a !== 'help');
    process.stdout.write(helpFor(words, lang));
    return argv.length === 0 ? 2 : 0;
  }
  const processExit = await runProcessCommand(argv);
  if (processExit !== null) return processExit;
  // The platform key commands (R10) and backups and restores (storage/backup.ts) read and
  // write the key file and the stores directly, with no token, like audit.
  const local = LOCAL_COMMANDS[argv[0] ?? ''];
  if (local) {
    try {
      const { loadConfig } = await import('../platform/config.ts');
      print(await local(argv.filter((a) => a !== '--json' && a !== '--table'), loadConfig()), argv);
      return 0;
    } catch (error) {
      process.stderr.write(`govgraph: ${describeError(error)}\n`);
      return 1;
    }
  }
  // The audit commands read the audit database directly and parse their own flags.
  if (argv[0] === 'audit') {
    const [{ runAuditCommand }, { loadConfig }, { publishedCheckpointKeys }] = await Promise.all([import('../audit/cli.ts'), import('../platform/config.ts'), import('../platform/keysCommand.ts')]);
    const config = loadConfig();
    // Checkpoints verify against the platform's published checkpoint keys, every generation (issue 15).
    return runAuditCommand(argv.slice(1), { ...config, checkpointKeys: () => publishedCheckpointKeys(config.storage) });
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    process.stderr.write(`govgraph: ${(error as Error).message}\n${lang === 'zh' ? '用法见' : 'see'} govgraph ${argv[0] && HELP[argv[0]] ? `${argv[0]} ` : ''}--help\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [area, command = 'list', ...rest] = positionals;
  try {
    // Loaded on use: the catalogue command opens the stores and reads every subgraph's SDL.
    if (area === 'catalogue') return await (await import('./catalogueCommand.ts')).runCatalogueCommand([command, ...rest], { ...values, json: wantsJson(argv) } as Flags);
    const handler = area ? COMMANDS[area]?.[command] : undefined;
    if (!handler) {
      const known = area ? HELP[area] : undefined;
      const what = !area || !known ? `unknown area ${JSON.stringify(area ?? '')}` : `unknown command ${JSON.stringify(command)} in ${area}`;
      throw new UsageError(`${what}\n\n${helpFor(known ? [area!] : [], lang)}`);
    }
    const result = await handler(rest, values as Flags);
    print(result, argv);
    return 0;
  } catch (error) {
    process.stderr.write(`govgraph: ${describeError(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}
