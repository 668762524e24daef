/**
 * The console's sections and hash routes (`#/inbox`, `#/applications/<id>`, `#/apply?coordinates=…`).
 *
 * Which sections a principal sees is a convenience, not a control: the management API decides
 * every request by the token, so a hidden section reached by its URL only shows the API's refusal.
 *
 * Glossary
 * - principal: whoever the token belongs to (`me`): an APP, a DEPARTMENT_ADMIN or the
 *   PLATFORM_ADMIN (the coordinating office, department `dgo`).
 * - provider department: one whose role is PROVIDER; it answers applications for its fields,
 *   proposes their policies and resolves objections to its data.
 */
import type { CredentialKind } from './types.ts';

export type SectionId =
  | 'overview' | 'access' | 'catalogue' | 'apply' | 'applications' | 'inbox' | 'escalations' | 'notifications'
  | 'objections' | 'grants' | 'policies' | 'proposals' | 'history' | 'apps' | 'audit' | 'reports' | 'registry' | 'settings' | 'deadlines' | 'calendar' | 'members';

export interface Section {
  readonly id: SectionId;
  readonly label: string;
  /** Which kinds of principal the section is for. */
  readonly kinds: readonly CredentialKind[];
  /** Department administrators see it only when their department provides data. */
  readonly providersOnly?: boolean;
}

const ALL: readonly CredentialKind[] = ['APP', 'DEPARTMENT_ADMIN', 'PLATFORM_ADMIN'];
const DEPARTMENT: readonly CredentialKind[] = ['APP', 'DEPARTMENT_ADMIN'];
const ADMINS: readonly CredentialKind[] = ['DEPARTMENT_ADMIN', 'PLATFORM_ADMIN'];
const PLATFORM: readonly CredentialKind[] = ['PLATFORM_ADMIN'];

export const SECTIONS: readonly Section[] = Object.freeze([
  { id: 'overview', label: 'Overview', kinds: ALL },
  { id: 'access', label: 'My access', kinds: DEPARTMENT },
  { id: 'catalogue', label: 'Catalogue', kinds: ALL },
  { id: 'apply', label: 'Apply for access', kinds: DEPARTMENT },
  { id: 'applications', label: 'Applications', kinds: ALL },
  { id: 'inbox', label: 'Inbox', kinds: ['DEPARTMENT_ADMIN'], providersOnly: true },
  { id: 'escalations', label: 'Escalations', kinds: PLATFORM },
  { id: 'notifications', label: 'Notifications', kinds: ALL },
  { id: 'objections', label: 'Objections', kinds: ALL },
  { id: 'grants', label: 'Grants', kinds: ADMINS },
  { id: 'policies', label: 'Field policies', kinds: ADMINS, providersOnly: true },
  { id: 'proposals', label: 'Policy proposals', kinds: ADMINS, providersOnly: true },
  { id: 'history', label: 'Policy history', kinds: PLATFORM },
  { id: 'apps', label: 'Apps & tokens', kinds: ADMINS },
  // Issue 14: the office manages departments and purposes; every administrator its own people.
  { id: 'members', label: '成员管理 Members', kinds: ADMINS },
  { id: 'audit', label: 'Audit trail', kinds: ADMINS },
  { id: 'reports', label: 'Evaluation reports', kinds: ADMINS },
  // Any department may register a subgraph of its own (civil affairs' social assistance, say), not only providers.
  { id: 'registry', label: 'Subgraph registry', kinds: ADMINS },
  { id: 'settings', label: 'Department settings', kinds: ADMINS },
  // Everyone reads the deadlines in force; only the coordinating office changes them (the API decides).
  { id: 'deadlines', label: 'Deadlines & limits', kinds: ALL },
  // Every principal reads the calendar; only the coordinating office enters a year's notice.
  { id: 'calendar', label: 'Working-day calendar', kinds: ALL },
]);

export interface Viewer {
  readonly kind: CredentialKind;
  /** The department's role (PROVIDER, CONSUMER, COORDINATOR); undefined when unknown. */
  readonly departmentRole?: string;
}

export function isProvider(viewer: Viewer): boolean {
  return viewer.departmentRole === 'PROVIDER';
}

/** Whether a section is meant for the viewer (display only; see the module comment). */
export function sectionVisible(section: Section, viewer: Viewer): boolean {
  if (!section.kinds.includes(viewer.kind)) return false;
  if (section.providersOnly && viewer.kind === 'DEPARTMENT_ADMIN' && !isProvider(viewer)) return false;
  return true;
}

export function sectionsFor(viewer: Viewer): Section[] {
  return SECTIONS.filter((s) => sectionVisible(s, viewer));
}

export interface Route {
  readonly section: SectionId | null;
  /** Path segments after the section, decoded (e.g. an application id). */
  readonly params: readonly string[];
  readonly query: Readonly<Record<string, string>>;
}

/** Parses `#/section/a/b?x=1`; an empty hash is the overview, an unknown section null. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '').replace(/^\//, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const search = q >= 0 ? raw.slice(q + 1) : '';
  const segments = path.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) query[k] = v;
  const first = segments[0] ?? 'overview';
  const section = SECTIONS.some((s) => s.id === first) ? (first as SectionId) : null;
  return { section, params: segments.slice(1), query };
}

/** The hash of a section (with optional path segments and query), e.g. `#/applications/app-1`. */
export function hrefOf(section: SectionId, params: readonly string[] = [], query: Readonly<Record<string, string | undefined>> = {}): string {
  const path = [section, ...params].map(encodeURIComponent).join('/');
  const entries = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  const qs = entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
  return `#/${path}${qs}`;
}
