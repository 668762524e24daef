/**
 * Declared purpose (R6): every data operation states one purpose of use in `X-Purpose`,
 * from the purpose registry; a matter number may come in `X-Case-Id`. Operations that read
 * only the schema (introspection) need none.
 */
import { GraphQLError, Kind, type OperationDefinitionNode, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import type { Caller } from '../../policies/model.ts';
import type { GatewayContext } from '../requestContext.ts';

const CASE_ID = /^[\p{L}\p{N}\-_/()（）〔〕[\]]{1,64}$/u;

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

function badRequest(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * The caller of a data operation: the token's department and app, the declared purpose and
 * the case. Throws HTTP 400 when the purpose is missing, unknown or not exactly one.
 */
export function declaredCaller(headers: { get(name: string): string | undefined } | undefined, context: GatewayContext): Caller {
  const { snapshot, identity } = context;
  const known = [...snapshot.purposes].sort().join(', ');
  const raw = headers?.get('x-purpose')?.trim();
  if (!raw) {
    throw badRequest(ErrorCode.PURPOSE_REQUIRED, `declare the purpose of use in the X-Purpose header; one of: ${known}`);
  }
  if (raw.includes(',')) {
    throw badRequest(ErrorCode.PURPOSE_REQUIRED, `declare exactly one purpose of use in X-Purpose, received ${JSON.stringify(raw)}; one of: ${known}`);
  }
  if (!snapshot.purposes.has(raw)) {
    throw badRequest(ErrorCode.PURPOSE_REQUIRED, `X-Purpose ${JSON.stringify(raw)} is not a registered purpose of use; one of: ${known}`);
  }
  const caseId = headers?.get('x-case-id')?.trim() || null;
  if (caseId !== null && !CASE_ID.test(caseId)) {
    throw badRequest(ErrorCode.BAD_USER_INPUT, 'X-Case-Id must be 1–64 letters, digits or - _ / ( ) 〔 〕 [ ]');
  }
  return { department: identity.department, app: identity.credentialId, purpose: raw, caseId };
}
