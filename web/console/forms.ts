/**
 * The console's form checks, pure so they can be unit-tested. They only spare the user a round
 * trip: the management API checks everything again and its answer is what counts.
 */
import type { SharingClass } from './types.ts';
import { defineMessages, translator, type Translate } from './i18n/defineMessages.ts';

export type Problems<K extends string> = Partial<Record<K, string>>;

const COORDINATE = /^[A-Z][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The API's default longest grant, three years (the setting GRANT_MAX_DAYS is in force). */
const MAX_GRANT_DAYS = 3 * 366;

export function isCoordinate(text: string): boolean {
  return COORDINATE.test(text);
}

/** Field coordinates from free text: one per line, or separated by commas (also full-width) or semicolons. */
export function parseCoordinates(text: string): string[] {
  return [...new Set(text.split(/[\s,;，；]+/).map((c) => c.trim()).filter(Boolean))];
}

export interface ApplyForm {
  coordinates: string;
  purpose: string;
  justification: string;
  legalBasis: string;
  caseRef: string;
  requestedFrom: string;
  requestedUntil: string;
}

export const APPLY_FORM_MESSAGES = defineMessages('forms.apply', {
  noField: '请至少填写一个字段，格式为 类型.字段（如 Person.householdAddress）。',
  badField: '不是字段坐标（类型.字段）：{fields}',
  noPurpose: '请选择数据的使用用途（R6）。',
  unknownPurpose: '{purpose} 不是已登记的用途。',
  noJustification: '请说明本部门为何需要这些数据。',
  noLegalBasis: '请引用该数据所服务职责的法律依据（legal basis）。',
  badDate: '请输入日期，格式 YYYY-MM-DD。',
  noUntil: '数据需要使用到哪一天？',
  notAfter: '须晚于 {from}。',
  tooLongYears: '授权最长三年；到期后请重新申请。',
  tooLongDays: '授权最长 {days} 天；到期后请重新申请。',
}, {
  noField: 'Name at least one field, as Type.field (e.g. Person.householdAddress).',
  badField: 'Not a field coordinate (Type.field): {fields}',
  noPurpose: 'Choose the purpose the data will be used for (R6).',
  unknownPurpose: '{purpose} is not a registered purpose.',
  noJustification: 'State why your department needs the data.',
  noLegalBasis: 'Cite the legal basis of the duty the data serves.',
  badDate: 'A date, YYYY-MM-DD.',
  noUntil: 'Until when is the data needed?',
  notAfter: 'Must be after {from}.',
  tooLongYears: 'A grant lasts at most three years; apply again to renew.',
  tooLongDays: 'A grant lasts at most {days} days; apply again to renew.',
});

type ApplyKey = keyof (typeof APPLY_FORM_MESSAGES)['en'];

/** The application form's problems, in `t`'s language (English by default). */
export function validateApplication(form: ApplyForm, purposes: readonly string[], today: string, maxGrantDays = MAX_GRANT_DAYS, t: Translate<ApplyKey> = translator(APPLY_FORM_MESSAGES, 'en')): Problems<keyof ApplyForm> {
  const problems: Problems<keyof ApplyForm> = {};
  const coordinates = parseCoordinates(form.coordinates);
  if (coordinates.length === 0) problems.coordinates = t('noField');
  else {
    const bad = coordinates.filter((c) => !isCoordinate(c));
    if (bad.length) problems.coordinates = t('badField', { fields: bad.join(', ') });
  }
  if (!form.purpose) problems.purpose = t('noPurpose');
  else if (!purposes.includes(form.purpose)) problems.purpose = t('unknownPurpose', { purpose: form.purpose });
  if (!form.justification.trim()) problems.justification = t('noJustification');
  if (!form.legalBasis.trim()) problems.legalBasis = t('noLegalBasis');
  const from = form.requestedFrom || today;
  if (form.requestedFrom && !DATE.test(form.requestedFrom)) problems.requestedFrom = t('badDate');
  if (!form.requestedUntil) problems.requestedUntil = t('noUntil');
  else if (!DATE.test(form.requestedUntil)) problems.requestedUntil = t('badDate');
  else if (form.requestedUntil <= from) problems.requestedUntil = t('notAfter', { from });
  else if (Date.parse(form.requestedUntil) - Date.parse(from) > maxGrantDays * 86_400_000) problems.requestedUntil = maxGrantDays === MAX_GRANT_DAYS ? t('tooLongYears') : t('tooLongDays', { days: maxGrantDays });
  return problems;
}

export interface PolicyForm {
  sharingClass: SharingClass;
  purposes: string[];
  basis: string;
  caseIdRequired: boolean;
  rowCondition: boolean;
  rowAttribute: string;
  reason: string;
}

export function validatePolicy(form: PolicyForm): Problems<keyof PolicyForm> {
  const problems: Problems<keyof PolicyForm> = {};
  // R1: sharing is the rule; restricting it needs a cited legal basis.
  if (form.sharingClass !== 'UNCONDITIONAL' && !form.basis.trim()) problems.basis = 'Conditional and not-shared fields need a cited legal basis (R1).';
  if (form.rowCondition && !isCoordinate(form.rowAttribute.trim())) problems.rowAttribute = 'The attribute is a field coordinate, e.g. Person.householdDivision.';
  if (!form.reason.trim()) problems.reason = 'Say why: the reason is recorded with the policy version.';
  return problems;
}

/** The policy form as the API's FieldPolicyInput. */
export function policyInput(form: PolicyForm): Record<string, unknown> {
  return {
    sharingClass: form.sharingClass,
    purposes: form.sharingClass === 'NOT_SHARED' ? [] : form.purposes,
    basis: form.basis.trim() || null,
    caseIdRequired: form.caseIdRequired,
    rowCondition: form.rowCondition ? { kind: 'CONSUMER_JURISDICTION', attribute: form.rowAttribute.trim() } : null,
  };
}

export interface ObjectionForm {
  coordinate: string;
  entityKey: string;
  observedValue: string;
  expectedValue: string;
  description: string;
}

export function validateObjection(form: ObjectionForm): Problems<keyof ObjectionForm> {
  const problems: Problems<keyof ObjectionForm> = {};
  if (!isCoordinate(form.coordinate.trim())) problems.coordinate = 'The field believed wrong, as Type.field.';
  if (!form.entityKey.trim()) problems.entityKey = 'The record: its idNumber, creditCode, unitNo or licenceNo.';
  if (!form.description.trim()) problems.description = 'Describe what is wrong.';
  return problems;
}

/** A required reason (rejections, arbitrations, policy decisions all state theirs). */
export function requireText(value: string, message: string): string | undefined {
  return value.trim() ? undefined : message;
}

/** As the registry names subgraphs (control/registry/subgraphRegistry.ts NAME). */
const SUBGRAPH_NAME = /^[a-z][a-z0-9-]{1,40}$/;

/** An http(s) URL a server can be reached at: the shape the registry and setWebhook accept, and one a browser can parse. */
export function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\/\S+$/.test(text)) return false;
  try {
    return Boolean(new URL(text).hostname);
  } catch {
    return false;
  }
}

export interface SubgraphForm {
  name: string;
  url: string;
  /** Empty: the registry reads the SDL from the running subgraph's `_service`. */
  sdl: string;
  /** Owner; empty: the caller's department (or the subgraph's current owner). Platform administrator only. */
  department: string;
}

export function validateSubgraph(form: SubgraphForm): Problems<keyof SubgraphForm> {
  const problems: Problems<keyof SubgraphForm> = {};
  const name = form.name.trim();
  if (!name) problems.name = 'Name the subgraph, e.g. social-assistance.';
  else if (!SUBGRAPH_NAME.test(name)) problems.name = `A subgraph name is 2–41 lower-case letters, digits or -, starting with a letter; “${name}” is not.`;
  const url = form.url.trim();
  if (!url) problems.url = 'Where the gateway reaches the subgraph, e.g. http://10.1.2.3:4010/graphql.';
  else if (!isHttpUrl(url)) problems.url = `Not an http(s) URL: ${url}`;
  return problems;
}

/** The subgraph form as the API's SubgraphInput. */
export function subgraphInput(form: SubgraphForm): Record<string, unknown> {
  return {
    name: form.name.trim(),
    url: form.url.trim(),
    sdl: form.sdl.trim() ? form.sdl : null,
    department: form.department || null,
  };
}

export interface PublishForm {
  reason: string;
  acceptBreaking: boolean;
}

/** A publication states its reason; breaking changes are published only when explicitly accepted. */
export function validatePublish(form: PublishForm, breakingChanges: number): Problems<keyof PublishForm> {
  const problems: Problems<keyof PublishForm> = {};
  if (!form.reason.trim()) problems.reason = 'Say why: the reason is recorded with the supergraph version.';
  if (breakingChanges > 0 && !form.acceptBreaking) {
    problems.acceptBreaking = `The check found ${breakingChanges} breaking change(s): tick the box to confirm you agreed them with the departments that use those fields.`;
  }
  return problems;
}

export interface WebhookForm {
  url: string;
  secret: string;
}

export function validateWebhook(form: WebhookForm): Problems<keyof WebhookForm> {
  const problems: Problems<keyof WebhookForm> = {};
  const url = form.url.trim();
  if (!url) problems.url = 'The URL notifications are POSTed to, e.g. https://oa.mca.example.gov.cn/govgraph/hook. To stop deliveries, remove the webhook instead.';
  else if (!isHttpUrl(url)) problems.url = `Not an http(s) URL: ${url}`;
  if (/\s/.test(form.secret)) problems.secret = 'A secret has no spaces.';
  return problems;
}
