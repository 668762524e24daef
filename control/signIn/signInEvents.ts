/**
 * Sign-in events in the audit trail (R10): ADMIN records whose action is SIGN_IN,
 * SIGN_IN_FAILED, ACCOUNT_LOCKOUT, PASSWORD_CHANGED or SIGN_OUT. The actor is the person's
 * session credential (`session:<person id>`) once known; a failure for a name that is no
 * account is recorded under `sign-in:<name>`, with the coordinating office's department.
 */
import type { AuditLog } from '../../audit/auditLog.ts';
import type { JsonValue } from '../../audit/auditRecord.ts';

export type SignInAction = 'SIGN_IN' | 'SIGN_IN_FAILED' | 'ACCOUNT_LOCKOUT' | 'PASSWORD_CHANGED' | 'SIGN_OUT';

export interface SignInEvent {
  readonly action: SignInAction;
  /** The department of the person (the coordinating office's when the name is no account). */
  readonly department: string;
  readonly actor: string;
  /** The username or the identity service's subject. */
  readonly target: string;
  readonly reason: string | null;
  readonly details: JsonValue;
}

export async function recordSignInEvent(audit: AuditLog, event: SignInEvent): Promise<void> {
  await audit.append({ kind: 'ADMIN', department: event.department, actor: event.actor, action: event.action, target: event.target, reason: event.reason, details: event.details });
}
