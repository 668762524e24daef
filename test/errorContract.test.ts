/**
 * One public error contract (issue 12, STYLE point 6): every code a client can see —
 * `extensions.code` of a GraphQL error, `code` of an HTTP error body — is a member of
 * lib/errors.ts's `ErrorCode`, and code elsewhere names it as `ErrorCode.X`, never as a string.
 * A string spells the same value today but does not follow a rename, is not found by "find
 * references", and lets a new code reach clients without a line in the contract (the enum, which
 * test/contract.test.ts pins).
 *
 * The scan reads the server-side source, not tests and not web/: the browser apps talk to the
 * platform over HTTP and compare the codes they receive as strings (they cannot bundle
 * lib/errors.ts, which imports graphql and Apollo Server).
 *
 * Internal codes that never reach a client — lib/secretSealer.ts's decryption failures, a
 * driver's SQLSTATE ('23505') — are not public; the last test checks that such an error is
 * masked rather than passed on as `extensions.code`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ErrorCode, maskUnexpectedError } from '../lib/errors.ts';
import { SecretSealerError, SecretSealerErrorCode } from '../lib/secretSealer.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The server-side source: every top-level folder with code that runs on the platform or its tools. */
const SCANNED = ['lib', 'schema', 'storage', 'policies', 'demo', 'audit', 'subgraphs', 'control', 'gateway', 'platform', 'cli', 'bench', 'bin'] as const;
const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;
const NOT_SOURCE = /(\.test\.tsx?|\.d\.ts)$/;
/** The one file that may spell the codes. */
const CONTRACT = 'lib/errors.ts';

/**
 * Files whose `code:` properties are domain identifiers, not error codes. A code listed here
 * still may not spell an ErrorCode value.
 */
const DOMAIN_CODES: Readonly<Record<string, string>> = {
  'demo/departments.ts': 'purposes of use (ADMINISTRATIVE_BASIS, …): reference data',
  'subgraphs/enterprise-profile/migrations.ts': 'risk rule codes (ENTITY_NOT_ACTIVE, …): data of the enterprise-profile subgraph',
  'control/registry/checks.ts': "composition problems of a check report use @apollo/composition's own codes (INVALID_GRAPHQL, …)",
};

/**
 * Literals left in files another change owns, reported here so the list is visible and shrinks:
 * a path prefix, and why it is not fixed yet. A pending entry that matches nothing fails (remove
 * it). Empty since issue 12 finished the move: literals are rejected everywhere, and
 * lib/http.ts's HttpError takes `ErrorCode` only.
 */
const PENDING: Readonly<Record<string, string>> = {};

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly literal: string;
  readonly message: string;
}

const UPPER_CASE = /^[A-Z][A-Z0-9_]{2,}$/;
const PUBLIC_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

const advice = (value: string): string =>
  PUBLIC_CODES.has(value)
    ? `write ErrorCode.${value} (import { ErrorCode } from lib/errors.ts)`
    : `a code a client can see is a member of ErrorCode: add ${value || 'it'} to lib/errors.ts with a one-line doc comment saying what it means for the caller, then write ErrorCode.${value || 'X'}`;

/** Whether `offset` in `text` is inside a comment (a line comment, or a line of a block comment). */
function inComment(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(start, offset);
  return /^\s*(\*|\/\/|\/\*)/.test(before) || /(^|\s)\/\//.test(before);
}

/**
 * The error codes written as string literals in one source file: a `code:` property set to an
 * UPPER_CASE string, any string code in an `extensions` object, the code argument of
 * `new HttpError(status, '…')`, and any string spelling a public code (a comparison, a
 * constant, a literal union type).
 */
export function scanSource(file: string, text: string, domainCodes = false): Finding[] {
  const found = new Map<number, Finding>();
  const add = (offset: number, literal: string, what: string, value: string) => {
    if (found.has(offset) || inComment(text, offset)) return;
    const line = text.slice(0, offset).split('\n').length;
    found.set(offset, { file, line, literal, message: `${file}:${line}: ${what} ${literal} — ${advice(value)}; error codes are one exported enum, the public contract` });
  };
  const rules: readonly { pattern: RegExp; what: string; applies: (value: string) => boolean }[] = [
    { pattern: /extensions\s*:\s*\{[^{}]*?(?<![.\w$])code\s*:\s*(['"`])([^'"`\n]*)\1/g, what: 'extensions.code set to the string', applies: () => true },
    { pattern: /new\s+HttpError\(\s*[^,()]*,\s*(['"`])([^'"`\n]*)\1/g, what: 'HttpError given the string code', applies: () => true },
    { pattern: /(?<![.\w$])code\s*:\s*(['"`])([^'"`\n]*)\1/g, what: 'code set to the string', applies: (v) => UPPER_CASE.test(v) && (PUBLIC_CODES.has(v) || !domainCodes) },
    { pattern: /(['"`])([A-Z][A-Z0-9_]{2,})\1/g, what: 'the string', applies: (v) => PUBLIC_CODES.has(v) },
  ];
  for (const { pattern, what, applies } of rules) {
    for (const match of text.matchAll(pattern)) {
      const [whole, quote, value] = match as unknown as [string, string, string];
      if (!applies(value)) continue;
      const literal = `${quote}${value}${quote}`;
      add(match.index! + whole.lastIndexOf(literal), literal, what, value);
    }
  }
  return [...found.values()].sort((a, b) => a.line - b.line);
}

function sourceFiles(): string[] {
  const files: string[] = [];
  for (const top of SCANNED) {
    let entries: string[];
    try {
      entries = readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = `${top}/${entry.split('\\').join('/')}`;
      if (/(^|\/)(node_modules|dist|data)\//.test(path) || !SOURCE.test(path) || NOT_SOURCE.test(path) || path === CONTRACT) continue;
      files.push(path);
    }
  }
  return files.sort();
}

function scanRepository(): Finding[] {
  return sourceFiles().flatMap((file) => scanSource(file, readFileSync(join(ROOT, file), 'utf8'), file in DOMAIN_CODES));
}

const pendingOf = (f: Finding) => Object.keys(PENDING).find((prefix) => f.file.startsWith(prefix));

describe('the public error contract', () => {
  it('has every code once in ErrorCode, its value its name, each with a doc comment', () => {
    const source = readFileSync(join(ROOT, CONTRACT), 'utf8');
    const body = /export enum ErrorCode \{([\s\S]*?)\n\}/.exec(source)![1]!;
    const members = [...body.matchAll(/(\/\*\*[\s\S]*?\*\/\s*)?\b([A-Z][A-Z0-9_]*) = '([^']*)',/g)];
    expect(members.map((m) => m[2])).toEqual(Object.keys(ErrorCode));
    for (const [, doc, name, value] of members) {
      expect(value, `ErrorCode.${name}'s value is the public code: spell it as the name`).toBe(name);
      expect(doc, `ErrorCode.${name} needs a one-line doc comment saying what it means for the caller`).toBeTruthy();
    }
  });

  it('is named as ErrorCode.X in the source, never as a string', () => {
    const findings = scanRepository().filter((f) => !pendingOf(f));
    expect(findings.map((f) => f.message), 'error codes written as strings').toEqual([]);
  });

  it('has no stale pending entries (fixed ones are removed from PENDING)', () => {
    const findings = scanRepository();
    for (const prefix of Object.keys(PENDING)) {
      expect(findings.some((f) => f.file.startsWith(prefix)), `${prefix} has no string codes left: remove it from PENDING in test/errorContract.test.ts`).toBe(true);
    }
  });

  it('scans the source it claims to (the scanner reads files and finds a planted literal)', () => {
    const files = sourceFiles();
    expect(files).toContain('control/registry/subgraphRegistry.ts');
    expect(files).toContain('subgraphs/runtime/server.ts');
    expect(files.some((f) => f.startsWith('web/') || f.endsWith('.test.ts') || f === CONTRACT)).toBe(false);

    const planted = [
      "throw new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } });", // 1
      'throw new HttpError(', //                                                   2
      '  404,', //                                                                  3
      "  'NOT_FOUND', 'no route');", //                                            4
      "if (error.extensions?.code === 'BAD_USER_INPUT') retry();", //              5
      "export const AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE';", //                  6
      "problems.push({ code: 'SOMETHING_NEW', message });", //                     7
      "constructor(message: string, readonly code: 'CONFLICT' | 'NOT_FOUND') {}", // 8
      "return { extensions: { code: 'lowercase_code' } };", //                     9
    ].join('\n');
    const found = scanSource('planted.ts', planted);
    expect(found.map((f) => [f.line, f.literal])).toEqual([
      [1, "'FORBIDDEN'"], [4, "'NOT_FOUND'"], [5, "'BAD_USER_INPUT'"], [6, "'AUDIT_UNAVAILABLE'"],
      [7, "'SOMETHING_NEW'"], [8, "'CONFLICT'"], [8, "'NOT_FOUND'"], [9, "'lowercase_code'"],
    ]);
    expect(found[0]!.message).toMatch(/^planted\.ts:1: .*write ErrorCode\.FORBIDDEN/);
    expect(found.find((f) => f.line === 7)!.message).toMatch(/add SOMETHING_NEW to lib\/errors\.ts/);
  });

  it('leaves alone what is not an error code as a string', () => {
    const clean = [
      "throw new GraphQLError('no', { extensions: { code: ErrorCode.FORBIDDEN, reason: 'WRONG_SCOPE' } });",
      'throw new HttpError(404, ErrorCode.NOT_FOUND, `no route ${path}`);',
      "// a comment may say 'FORBIDDEN'",
      " * and so may a doc comment: code: 'FORBIDDEN'",
      "const division = { code: '440100', name: '广东省' }; const type = { code: 'C' };",
      "const purpose = { code: 'ADMINISTRATIVE_BASIS', name: '行政依据' };",
      "if ((error as { code?: string }).code !== '23505') throw error;",
      "const outcome = error instanceof RegistryError ? error.code : 'ERROR';",
    ].join('\n');
    expect(scanSource('clean.ts', clean, true)).toEqual([]);
    // Outside a domain-data file, an UPPER_CASE code that is no ErrorCode member is a new code.
    expect(scanSource('clean.ts', clean).map((f) => f.literal)).toEqual(["'ADMINISTRATIVE_BASIS'"]);
  });

  it('keeps internal codes internal: an error that is not a GraphQLError is masked, its code not passed on', () => {
    const logged: string[] = [];
    const formatted = (error: Error): GraphQLFormattedError => {
      const located = new GraphQLError(error.message, { originalError: error, path: ['x'] });
      return maskUnexpectedError(located.toJSON(), located, 'the test', (m) => logged.push(m));
    };
    const sealer = formatted(new SecretSealerError(SecretSealerErrorCode.AUTHENTICATION_FAILED, 'the envelope does not authenticate'));
    const sql = formatted(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }));
    for (const result of [sealer, sql]) {
      expect(result.extensions?.code).toBe(ErrorCode.INTERNAL_SERVER_ERROR);
      expect(JSON.stringify(result)).not.toMatch(/AUTHENTICATION_FAILED|23505|envelope|duplicate key/);
    }
    expect(logged.join('\n')).toMatch(/AUTHENTICATION|duplicate key/);
  });
});
