/**
 * The server's messages to people in their language: API errors follow the request's
 * `Accept-Language` — `zh*` gets Chinese, anything else (and no header) English, the
 * contract clients were written against. Codes (lib/errors.ts ErrorCode) never change with
 * the language; only `message` does.
 *
 * Glossary: a message key names one sentence (`purpose.missing`); its entry gives the zh and
 * en text from named parameters. A thrown error carries its key and parameters in
 * `extensions.i18n` (`localizable`); `localizeError` replaces the message and removes the key
 * before the answer leaves. Field denials carry everything in their extensions already
 * (coordinate, class, reason, basis, how to apply), so they are localized from those.
 *
 * Covered so far: unauthenticated, forbidden (administrator token on /graphql, deactivated
 * department, field denied), purpose missing/several/unknown, case id malformed, rate limited.
 * Other messages stay English.
 */

import { ErrorCode } from './errors.ts';

export type Locale = 'zh' | 'en';

/** `zh-CN,zh;q=0.9,en;q=0.8` → zh; `en-US` → en; none or another language → en. */
export function localeOf(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage.split(',').map((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
  }).filter((t) => t.tag && t.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

type Params = Readonly<Record<string, string | number>>;
type Entry = { readonly zh: (p: Params) => string; readonly en: (p: Params) => string };

const MESSAGES = {
  'auth.noToken': {
    en: () => 'send your app token as "Authorization: Bearer <token>"; a department administrator issues app tokens in /admin/graphql',
    zh: () => '请以 "Authorization: Bearer <令牌>" 发送应用令牌;应用令牌由本部门管理员在 /admin/graphql 签发',
  },
  'auth.unknownToken': {
    en: () => 'the token is unknown or revoked; ask your department administrator for a valid app token',
    zh: () => '令牌无效或已吊销;请向本部门管理员申领有效的应用令牌',
  },
  'auth.expired': {
    en: (p) => `the token of ${p.credential} expired at ${p.at}; ask your department administrator to rotate it (rotateAppToken) or issue a new one`,
    zh: (p) => `${p.credential} 的令牌已于 ${p.at} 过期;请本部门管理员轮换令牌(rotateAppToken)或签发新令牌`,
  },
  'auth.departmentDeactivated': {
    en: (p) => `department ${p.department} was deactivated at ${p.at}: its apps and administrators are no longer accepted; the coordinating office can tell you more`,
    zh: (p) => `部门 ${p.department} 已于 ${p.at} 停用,其应用和管理员不再被接受;详情请询问协调机构`,
  },
  'auth.adminTokenOnData': {
    en: (p) => `this token belongs to ${p.holder}; /graphql answers app tokens only — use an app token (an administrator issues one with createApp in /admin/graphql), and use this token in /admin/graphql`,
    zh: (p) => `该令牌属于 ${p.holder};/graphql 只接受应用令牌 — 请使用应用令牌(管理员在 /admin/graphql 用 createApp 签发),此令牌请在 /admin/graphql 使用`,
  },
  'purpose.missing': {
    en: (p) => `declare the purpose of use in the X-Purpose header; one of: ${p.known}`,
    zh: (p) => `请在 X-Purpose 请求头中声明使用用途(代码或中文名称,中文请按 UTF-8 发送或百分号编码),可选:${p.known}`,
  },
  'purpose.several': {
    en: (p) => `declare exactly one purpose of use in X-Purpose, received ${p.received}; one of: ${p.known}`,
    zh: (p) => `X-Purpose 只能声明一个用途,收到 ${p.received};可选:${p.known}`,
  },
  'purpose.unknown': {
    en: (p) => `X-Purpose ${p.received} is not a registered purpose of use, or was deactivated; one of: ${p.known}`,
    zh: (p) => `X-Purpose ${p.received} 不是已登记的使用用途,或已停用;可选:${p.known}`,
  },
  'caseId.notUtf8': {
    en: (p) => `X-Case-Id ${p.received} is not valid percent-encoded UTF-8; encode the matter number with encodeURIComponent, or send it as UTF-8 bytes`,
    zh: (p) => `X-Case-Id ${p.received} 不是有效的 UTF-8 百分号编码;请用 encodeURIComponent 编码办件编号,或按 UTF-8 发送`,
  },
  'caseId.invalid': {
    en: (p) => `X-Case-Id must be 1–64 letters, digits or - _ / ( ) （ ） 〔 〕 [ ], received ${p.received}`,
    zh: (p) => `X-Case-Id 须为 1–64 个文字、数字或 - _ / ( ) （ ） 〔 〕 [ ],收到 ${p.received}`,
  },
  'rateLimit.requests': {
    en: (p) => `app ${p.app} of ${p.department} made ${p.used} requests in the last minute; its limit is ${p.perMinute} per minute (R10) — retry in ${p.retry} s, or ask the department administrator to raise the app's limit (setAppRateLimit)`,
    zh: (p) => `${p.department} 的应用 ${p.app} 在过去一分钟内请求 ${p.used} 次,上限为每分钟 ${p.perMinute} 次(R10)— 请 ${p.retry} 秒后重试,或请部门管理员提高该应用的限额(setAppRateLimit)`,
  },
  'rateLimit.keysInOperation': {
    en: (p) => `this operation names ${p.keys} distinct keys; app ${p.app} of ${p.department} may look up at most ${p.perMinute} distinct keys per minute (R10: no enumeration) — split it, or ask the department administrator to raise the app's limit (setAppRateLimit)`,
    zh: (p) => `本次操作查询 ${p.keys} 个不同的键;${p.department} 的应用 ${p.app} 每分钟最多查询 ${p.perMinute} 个不同的键(R10:禁止遍历)— 请拆分操作,或请部门管理员提高该应用的限额(setAppRateLimit)`,
  },
  'rateLimit.keys': {
    en: (p) => `app ${p.app} of ${p.department} would look up ${p.used} distinct keys in the last minute; its limit is ${p.perMinute} per minute (R10: no enumeration) — retry in ${p.retry} s, or ask the department administrator to raise the app's limit (setAppRateLimit)`,
    zh: (p) => `${p.department} 的应用 ${p.app} 在过去一分钟内将查询 ${p.used} 个不同的键,上限为每分钟 ${p.perMinute} 个(R10:禁止遍历)— 请 ${p.retry} 秒后重试,或请部门管理员提高该应用的限额(setAppRateLimit)`,
  },
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof MESSAGES;

export interface LocalizableMessage {
  readonly key: MessageKey;
  readonly params: Params;
}

export function message(locale: Locale, key: MessageKey, params: Params = {}): string {
  return (MESSAGES[key] as Entry)[locale](params);
}

/** The English message and the `extensions.i18n` that lets it be said in the receiver's language. */
export function localizable(key: MessageKey, params: Params = {}): { message: string; i18n: LocalizableMessage } {
  return { message: message('en', key, params), i18n: { key, params } };
}

const CLASS_ZH: Readonly<Record<string, string>> = { UNCONDITIONAL: '无条件共享', CONDITIONAL: '有条件共享', NOT_SHARED: '不予共享' };

const DENIAL_ZH: Readonly<Record<string, string>> = {
  NOT_SHARED: '该字段不予共享',
  NO_GRANT: '本部门没有该字段的有效授权',
  PURPOSE_NOT_ALLOWED: '所声明的用途不在该字段允许的用途之内',
  CASE_ID_REQUIRED: '读取该字段须在 X-Case-Id 中提供办件编号',
  OUT_OF_JURISDICTION: '该记录不在本部门的管辖范围内',
  UNCLASSIFIED: '该字段尚未定级,未定级的字段不予提供',
};

/** A denied field's message in Chinese, from the denial's extensions (R1, R5). */
function deniedFieldZh(ext: Record<string, unknown>): string | null {
  const reason = DENIAL_ZH[String(ext.reason)];
  if (!reason || typeof ext.coordinate !== 'string') return null;
  const parts = [`无权读取 ${ext.coordinate}(${CLASS_ZH[String(ext.sharingClass)] ?? String(ext.sharingClass)},提供部门 ${String(ext.provider)}):${reason}`];
  if (typeof ext.basis === 'string' && ext.basis) parts.push(`依据:${ext.basis}`);
  if (typeof ext.howToApply === 'string' && ext.howToApply) parts.push(`申请方式:${ext.howToApply}`);
  return `${parts.join('。')}。`;
}

interface ErrorLike {
  readonly message: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** One error of an answer in the receiver's language; `extensions.i18n` never leaves the server. */
export function localizeError<E extends ErrorLike>(error: E, locale: Locale): E {
  const ext = error.extensions;
  if (!ext) return error;
  const { i18n, ...rest } = ext as { i18n?: LocalizableMessage } & Record<string, unknown>;
  let text = error.message;
  if (locale === 'zh') {
    if (i18n && i18n.key in MESSAGES) text = message('zh', i18n.key, i18n.params);
    else if (ext.code === ErrorCode.FORBIDDEN) text = deniedFieldZh(ext) ?? text;
  }
  if (!i18n && text === error.message) return error;
  return { ...error, message: text, extensions: rest };
}
