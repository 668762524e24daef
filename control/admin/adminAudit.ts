/**
 * The ADMIN records of the audit trail (R10): who (the acting administrator's department and
 * credential), what (the action and what it was done to), why (the reason), and the details.
 * Every record of the management API is written by appendAdminRecord: the audit plugin's, one
 * per successful mutation, and the few queries audited by hand (checkSubgraph: who looked at
 * which address).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { AppendResult, AuditLog } from '../../audit/auditLog.ts';
import type { JsonValue } from '../../audit/auditRecord.ts';
import { ErrorCode } from '../../lib/errors.ts';
import type { Identity } from '../store/platformStore.ts';

/** What an ADMIN record needs of the request's context (a part of AdminContext). */
export interface AdminActor {
  readonly identity: Identity;
  readonly audit: AuditLog;
}

/** One administrative action, as recorded. */
export interface AdminAction {
  /** The mutation or query, e.g. `setFieldPolicy`, `checkSubgraph`. */
  readonly action: string;
  /** What it was done to: a field coordinate, an id, a subgraph name… */
  readonly target: string;
  readonly reason: string | null;
  readonly details: JsonValue;
}

/** Appends one ADMIN record for the acting administrator. */
export function appendAdminRecord(ctx: AdminActor, action: AdminAction): Promise<AppendResult> {
  // Issue 14: `actor` stays the credential (compatibility); the person acting is named in the details.
  const person = ctx.identity.person;
  const details: JsonValue = !person
    ? action.details
    : { ...(action.details !== null && typeof action.details === 'object' && !Array.isArray(action.details) ? action.details : { details: action.details }), person: { id: person.id, name: person.name } };
  return ctx.audit.append({
    kind: 'ADMIN', department: ctx.identity.department, actor: ctx.identity.credentialId,
    action: action.action, target: action.target, reason: action.reason, details,
  });
}

/**
 * Every administrative action that succeeded is recorded in the audit trail (R10): who, which
 * mutation, on what, why. A change whose record cannot be written is still reported as done
 * (it is committed) — with an error saying the record is missing, so an operator notices.
 */
export function adminAuditPlugin<TContext extends AdminActor>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue, request, response }) {
          if (operation?.operation !== 'mutation' || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const vars = request.variables ?? {};
          for (const selection of operation.selectionSet.selections) {
            if (selection.kind !== 'Field') continue;
            const key = selection.alias?.value ?? selection.name.value;
            if (!result.data || result.data[key] === null || result.data[key] === undefined) continue;
            const args: Record<string, unknown> = {};
            for (const a of selection.arguments ?? []) args[a.name.value] = a.value.kind === 'Variable' ? vars[a.value.name.value] : (a.value as { value?: unknown }).value ?? null;
            const input = args.input as { name?: string; code?: string } | undefined;
            const target = String(args.coordinate ?? args.id ?? input?.code ?? input?.name ?? args.toVersion ?? args.department ?? args.year ?? args.personId ?? args.purpose ?? args.issuerCode ?? '');
            try {
              await appendAdminRecord(contextValue, {
                action: selection.name.value, target,
                reason: typeof args.reason === 'string' ? args.reason : null,
                details: JSON.parse(JSON.stringify({ ...args, sdl: undefined, secret: undefined, token: undefined })),
              });
            } catch (error) {
              result.errors = [...(result.errors ?? []), { message: `${selection.name.value} was done, but its audit record was not written: ${(error as Error).message}`, extensions: { code: ErrorCode.AUDIT_UNAVAILABLE } }];
            }
          }
        },
      };
    },
  };
}
