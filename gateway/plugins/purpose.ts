/**
 * Declared purpose (R6), stage 4 of gateway/pipeline.ts: every data operation states one
 * purpose of use in `X-Purpose`, from the purpose registry; a matter number may come in
 * `X-Case-Id`. Operations that read only the schema (introspection) need none, and stay at
 * the `authenticated` stage.
 *
 * Why didResolveOperation: whether an operation reads data is known only once it is resolved;
 * the policy check, listed after this plugin, decides for the caller declared here.
 */
import { GraphQLError, Kind, type OperationDefinitionNode, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../lib/errors.ts';
import { localizable } from '../../lib/messages.ts';
import type { Caller } from '../../policies/model.ts';
import { declarePurpose, type AuthenticatedContext, type GatewayContext } from '../requestContext.ts';

export function purposePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, request, operation, document }) {
          if (!operation || !readsData(operation, document)) return;
          declarePurpose(contextValue, declaredCaller(request.http?.headers, contextValue));
        },
      };
    },
  };
}

const CASE_ID = /^[\p{L}\p{N}\-_/()（）〔〕[\]]{1,64}$/u;

/**
 * The matter number as written: case numbers are Chinese (`民〔2026〕17号`), and HTTP header
 * values are bytes. Node hands them over decoded as Latin-1, so a client sending UTF-8 bytes
 * arrives here garbled; browsers and fetch refuse non-Latin-1 header values altogether and
 * must percent-encode. Both are accepted: percent-encoding (`%E6%B0%91…`, UTF-8) is decoded,
 * and raw bytes are read again as UTF-8. Anything else is a clear 400.
 */
export function decodeCaseIdHeader(raw: string): string {
  const value = decodeHeaderText(raw);
  if (value === null) {
    if (raw.includes('%')) throw badRequest(ErrorCode.BAD_USER_INPUT, localizable('caseId.notUtf8', { received: JSON.stringify(raw) }));
    throw badRequest(ErrorCode.BAD_USER_INPUT, 'X-Case-Id is not UTF-8; send the matter number as UTF-8 bytes or percent-encoded');
  }
  if (!CASE_ID.test(value)) throw badRequest(ErrorCode.BAD_USER_INPUT, localizable('caseId.invalid', { received: JSON.stringify(value) }));
  return value;
}

/**
 * A header value as the client wrote it: percent-encoded UTF-8 decoded, raw UTF-8 bytes (which
 * Node hands over as Latin-1) read again as UTF-8, ASCII as it is; null when it is neither.
 */
export function decodeHeaderText(raw: string): string | null {
  if (raw.includes('%')) {
    try {
      return decodeURIComponent(raw);
    } catch {
      return null;
    }
  }
  if (!/[\u0080-\u00ff]/.test(raw)) return raw;
  const utf8 = Buffer.from(raw, 'latin1').toString('utf8');
  return utf8.includes('\ufffd') ? null : utf8;
}

/** Whether an operation touches data (any field that is not `__schema`, `__type` or `__typename` at the root). */
export function readsData(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const visit = (set: SelectionSetNode, seen: Set<string>): boolean => set.selections.some((s) => {
    if (s.kind === Kind.FIELD) return !s.name.value.startsWith('__');
    if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet, seen);
    if (seen.has(s.name.value)) return false;
    seen.add(s.name.value);
    const fragment = fragments.get(s.name.value);
    return fragment ? visit(fragment.selectionSet, seen) : false;
  });
  return visit(operation.selectionSet, new Set());
}

function badRequest(code: ErrorCode, said: string | ReturnType<typeof localizable>): GraphQLError {
  if (typeof said === 'string') return new GraphQLError(said, { extensions: { code, http: { status: 400 } } });
  return new GraphQLError(said.message, { extensions: { code, i18n: said.i18n, http: { status: 400 } } });
}

/**
 * The caller of a data operation: the token's department and app, the declared purpose and
 * the case. Throws HTTP 400 when the purpose is missing, unknown or not exactly one.
 */
export function declaredCaller(headers: { get(name: string): string | undefined } | undefined, context: Pick<AuthenticatedContext, 'snapshot' | 'identity'>): Caller {
  const { snapshot, identity } = context;
  const known = snapshot.purposeList();
  const raw = headers?.get('x-purpose')?.trim();
  if (!raw) {
    throw badRequest(ErrorCode.PURPOSE_REQUIRED, localizable('purpose.missing', { known }));
  }
  // R6: a purpose may be declared by its code or by its name (行政依据), sent as UTF-8 bytes or
  // percent-encoded; the message shows what the caller wrote, never Latin-1 mojibake.
  const written = decodeHeaderText(raw) ?? raw;
  if (written.includes(',')) {
    throw badRequest(ErrorCode.PURPOSE_REQUIRED, localizable('purpose.several', { received: JSON.stringify(written), known }));
  }
  const purpose = snapshot.purposeNamed(written.trim());
  if (!purpose) {
    throw badRequest(ErrorCode.PURPOSE_REQUIRED, localizable('purpose.unknown', { received: JSON.stringify(written), known }));
  }
  const rawCaseId = headers?.get('x-case-id')?.trim();
  const caseId = rawCaseId ? decodeCaseIdHeader(rawCaseId) : null;
  return { department: identity.department, app: identity.credentialId, purpose, caseId };
}
