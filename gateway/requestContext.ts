/**
 * What the gateway knows about one request, stage by stage (gateway/pipeline.ts lists the
 * stages). Created per HTTP request once the caller is authenticated; the policy snapshot is
 * pinned then, so every decision of the request — at the gateway and in the subgraphs — uses
 * the same version.
 *
 * Glossary:
 * - authenticated: the token names an app (identity); nothing about the operation is known.
 * - purpose declared: the operation reads data and its caller stated one registered purpose
 *   of use (R6) — the `Caller` every decision and every signed context is made for.
 * - checked: the static policy check decided every requested field (R1, R5): `access`.
 *
 * Apollo Server hands every plugin the same context object, so the stages reached are one
 * field, `stage`, a tagged union that only moves forward (`declarePurpose`, `recordCheck`):
 * a reader switches on it and gets exactly what that stage knows, never a null to guess at.
 */
import type { BaseContext } from '@apollo/server';
import type { Caller } from '../policies/model.ts';
import type { PolicySnapshot } from '../policies/snapshot.ts';
import type { Identity } from '../control/store/platformStore.ts';

/** What the static policy check decided, for the audit trail: field coordinates and grants. */
export interface AccessDecision {
  readonly requested: readonly string[];
  readonly denied: readonly string[];
  readonly grantsUsed: readonly string[];
}

export interface Authenticated {
  readonly name: 'authenticated';
}

export interface PurposeDeclared {
  readonly name: 'purposeDeclared';
  readonly caller: Caller;
}

export interface Checked {
  readonly name: 'checked';
  readonly caller: Caller;
  readonly access: AccessDecision;
}

export type RequestStage = Authenticated | PurposeDeclared | Checked;

/** Known from the first stage on: who is asking, under which policy, and where it went. */
export interface AuthenticatedContext {
  readonly requestId: string;
  readonly identity: Identity;
  readonly snapshot: PolicySnapshot;
  /** Subgraphs this request fetched from (added by the data source), for the audit trail. */
  readonly subgraphsCalled: Set<string>;
}

export interface GatewayContext extends BaseContext, AuthenticatedContext {
  /** How far the request got; moved on only by `declarePurpose` and `recordCheck`. */
  stage: RequestStage;
}

/** The context of a request whose caller was just authenticated. */
export function authenticatedContext(request: AuthenticatedContext): GatewayContext {
  return { ...request, stage: { name: 'authenticated' } };
}

/** R6: the operation reads data, and its caller declared this purpose. */
export function declarePurpose(context: GatewayContext, caller: Caller): void {
  if (context.stage.name !== 'authenticated') throw new Error(`declarePurpose on a request already at stage ${context.stage.name}: the purpose is declared once`);
  context.stage = { name: 'purposeDeclared', caller };
}

/** R1, R5: the static policy check decided the operation's fields. */
export function recordCheck(context: GatewayContext, access: AccessDecision): void {
  if (context.stage.name !== 'purposeDeclared') throw new Error(`recordCheck on a request at stage ${context.stage.name}: the check follows the declared purpose, once`);
  context.stage = { name: 'checked', caller: context.stage.caller, access };
}

/** A refusal of the whole operation (rate limit): nothing is returned, so every requested field counts as denied. */
export function denyEverything(context: GatewayContext): void {
  const { stage } = context;
  if (stage.name !== 'checked') return; // nothing was requested under a policy: nothing to deny
  const denied = [...new Set([...stage.access.requested, ...stage.access.denied])];
  context.stage = { ...stage, access: { ...stage.access, denied } };
}

/** The caller, once declared; null for an operation that reads no data (introspection). */
export function callerOf(stage: RequestStage): Caller | null {
  switch (stage.name) {
    case 'authenticated':
      return null;
    case 'purposeDeclared':
    case 'checked':
      return stage.caller;
    default:
      return unreachable(stage);
  }
}

const NOTHING_DECIDED: AccessDecision = { requested: [], denied: [], grantsUsed: [] };

/** What the policy check decided; nothing when it did not run (no data read, or the check switched off). */
export function accessOf(stage: RequestStage): AccessDecision {
  return stage.name === 'checked' ? stage.access : NOTHING_DECIDED;
}

function unreachable(stage: never): never {
  throw new Error(`unknown request stage ${JSON.stringify(stage)}`);
}
