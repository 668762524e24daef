/**
 * The gateway's view of the policy: the current snapshot (built from the subgraphs' SDL
 * defaults, the store's overrides, grants, departments and purposes), the last few versions
 * (subgraphs fetch exactly the version a request was signed with), and a refresh that picks
 * up changes made through this replica at once, and through other replicas as soon as the
 * store's change feed tells of them (`policy`, `grants`: milliseconds), or on the next poll
 * when a notification was lost (within a second).
 */
import { fieldsUnderPolicy, type FieldUnderPolicy, type SubgraphSdl } from '../../policies/fieldsUnderPolicy.ts';
import { PolicySnapshot, effectiveFieldPolicies } from '../../policies/snapshot.ts';
import type { PlatformStore } from '../store/platformStore.ts';
import { SharedRead } from '../../lib/sharedRead.ts';

const KEPT_VERSIONS = 8;
/** A snapshot not refreshed this long (every poll failing) is reported stale by readiness. @default 30 s */
export const POLICY_STALE_AFTER_MS = 30_000;
/** How often a replica looks for changes made elsewhere. @default 1000 ms */
export const POLICY_POLL_MS = 1000;

export class PolicyState {
  private currentSnapshot: PolicySnapshot | null = null;
  private readonly recent = new Map<number, PolicySnapshot>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void)[] = [];
  /** A refresh asked for while one is running (a change announced meanwhile) gets the next one. */
  private readonly refreshing = new SharedRead(() => this.load().then((snapshot) => {
    this.refreshedAt = performance.now();
    this.refreshError = null;
    return snapshot;
  }, (error: unknown) => {
    this.refreshError = (error as Error).message;
    throw error;
  }));
  private fieldsOf: { subgraphs: readonly SubgraphSdl[]; fields: readonly FieldUnderPolicy[] } | null = null;
  /** When the last refresh succeeded (monotonic ms), and the error of refreshes failing since. */
  private refreshedAt = 0;
  private refreshError: string | null = null;

  /** `subgraphs` gives the registered subgraphs of the newest supergraph version. */
  constructor(
    private readonly store: PlatformStore,
    private readonly subgraphs: () => Promise<readonly SubgraphSdl[]>,
    /** Who owns each field (R8): the provider of every decision, whatever the registration order. */
    private readonly owners?: () => Promise<ReadonlyMap<string, { readonly department: string }>>,
  ) {}

  /** The field coordinates under policy, as of the last refresh. */
  get fields(): readonly FieldUnderPolicy[] {
    if (!this.fieldsOf) throw new Error('PolicyState.fields read before the first refresh()');
    return this.fieldsOf.fields;
  }

  get current(): PolicySnapshot {
    if (!this.currentSnapshot) throw new Error('PolicyState.current read before the first refresh()');
    return this.currentSnapshot;
  }

  /**
   * For readiness probes: null when a current snapshot is held and refreshing works; otherwise
   * why requests cannot be decided (no snapshot loaded), or may be decided on a stale one
   * (every refresh failing for POLICY_STALE_AFTER_MS).
   */
  readiness(): string | null {
    if (!this.currentSnapshot) return `the policy snapshot is missing (not loaded yet${this.refreshError ? `: ${this.refreshError}` : ''}): no request can be decided`;
    if (this.refreshError && performance.now() - this.refreshedAt > POLICY_STALE_AFTER_MS) {
      return `the policy snapshot (version ${this.currentSnapshot.version}) could not be refreshed for ${Math.round((performance.now() - this.refreshedAt) / 1000)} s: ${this.refreshError}`;
    }
    return null;
  }

  version(version: number): PolicySnapshot | undefined {
    return this.recent.get(version);
  }

  /**
   * Loads the newest version from the store when it differs from the one in memory. One read at
   * a time, shared by a burst of changes and the poll, but never one that started before this call.
   */
  refresh(): Promise<PolicySnapshot> {
    return this.refreshing.read();
  }

  private async load(): Promise<PolicySnapshot> {
    const subgraphs = await this.subgraphs();
    // The poll's cheap question first; the whole source only when the version moved.
    const moved = !this.currentSnapshot || this.currentSnapshot.version !== await this.store.currentVersion();
    if (this.fieldsOf?.subgraphs !== subgraphs || moved) {
      // Ownership changes (publish, transfer) always come with a new policy version.
      this.fieldsOf = { subgraphs, fields: fieldsUnderPolicy(subgraphs, this.owners ? await this.owners() : undefined) };
    }
    if (!moved) return this.currentSnapshot!;
    const { version, row, grants, departments, purposes } = await this.store.policySource();
    const snapshot = new PolicySnapshot({
      version,
      fields: effectiveFieldPolicies(this.fieldsOf.fields, row?.overrides ?? []),
      grants,
      departments: departments.map((d) => ({ code: d.code, jurisdiction: d.jurisdiction })),
      purposes: purposes.map((p) => p.code),
      purposeNames: purposes.map((p) => ({ code: p.code, name: p.name, nameEn: p.name_en ?? null })),
    });
    this.currentSnapshot = snapshot;
    this.recent.set(version, snapshot);
    while (this.recent.size > KEPT_VERSIONS) this.recent.delete(this.recent.keys().next().value!);
    return snapshot;
  }

  /** Refreshes on every change another replica announces, and every `pollMs` in case one was missed. */
  startPolling(onError: (error: unknown) => void, pollMs = POLICY_POLL_MS): void {
    const refresh = () => void this.refresh().catch(onError);
    if (!this.timer) this.unsubscribe = [this.store.changes.subscribe('policy', refresh), this.store.changes.subscribe('grants', refresh)];
    this.timer ??= setInterval(refresh, pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }
}
