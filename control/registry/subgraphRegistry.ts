/**
 * The subgraph registry: departments register their subgraphs (name, URL, SDL), the
 * registry checks a change (composition, classification, breaking changes with their users),
 * publishes it as a new supergraph version, and every running gateway swaps to it without a
 * restart and without failing requests in flight (ApolloGateway's supergraph update hook:
 * requests already planned finish on the schema they started with). Versions are kept;
 * rollback publishes an earlier version's subgraphs again.
 *
 * Glossary:
 * - registration: a department's subgraph as stored (owner, URL, SDL).
 * - supergraph version: the composed schema of all registrations at one moment; what gateways serve.
 * - health: the registry probes each subgraph's /healthz; an unhealthy one fails fast.
 */
import { subgraphHttp, type SubgraphHttp } from '../../lib/tlsLinks.ts';
import { parse } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import type { SupergraphManager } from '@apollo/gateway';
import { checkOwnership, claimInOrder, type Claim, type Owner, type RegisteredSdl } from './ownership.ts';
import { hostsOf, normalizeHost, readOwners, recordClaims, replaceHosts, transferOwner, type SchemaOwner } from './ownershipStore.ts';
import type { SubgraphSdl } from '../../policies/fieldsUnderPolicy.ts';
import type { Identity, PlatformStore } from '../store/platformStore.ts';
import { CatalogueBuildError, placeCatalogue } from '../catalogue/placement.ts';
import { standingMandateOverrides } from '../classification/classificationGuards.ts';
import { breakingChanges, classification, compose, USAGE_WINDOW_DAYS, type CheckReport, type RegisteredSubgraph, type UsageSource } from './checks.ts';

export interface SupergraphVersion {
  readonly version: number;
  readonly supergraphSdl: string;
  readonly subgraphs: readonly RegisteredSubgraph[];
  readonly kind: string;
  readonly actor: string;
  readonly reason: string;
  readonly createdAt: string;
}

export class RegistryError extends Error {
  constructor(message: string, readonly code: ErrorCode = ErrorCode.BAD_USER_INPUT, readonly report?: CheckReport) {
    super(message);
  }
}

export interface SubgraphHealth {
  readonly name: string;
  readonly url: string;
  readonly healthy: boolean;
  readonly since: string;
  readonly detail: string;
}

const NAME = /^[a-z][a-z0-9-]{1,40}$/;
/** A DNS name or an IPv4/IPv6 address, as URL.hostname gives it (IPv6 without brackets). */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|[0-9a-f:.]+)$/;

export interface RegistryOptions {
  readonly usage?: UsageSource;
  readonly log?: (m: string) => void;
  /** Whether a department may read a field now (for @requires, whose values are shipped to its subgraph). */
  readonly mayRead?: (department: string, coordinate: string) => boolean;
  /** How subgraphs are called outside the data path (probes, schemas), with the gateway's TLS settings. @default plain node:http(s), the system's CAs */
  readonly http?: SubgraphHttp;
}
/** How often a replica looks for versions published elsewhere, and how often subgraphs are probed. */
export const REGISTRY_POLL_MS = 1000;
export const HEALTH_PROBE_MS = 5000;

export class SubgraphRegistry {
  private currentVersion: SupergraphVersion | null = null;
  private gatewayUpdate: ((supergraphSdl: string) => void) | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private readonly health = new Map<string, SubgraphHealth>();
  private readonly listeners = new Set<(version: SupergraphVersion) => void>();
  private unsubscribe: (() => void) | null = null;

  /** The owners as read at a policy version (see owners()). */
  private ownersCache: { readonly policyVersion: number; readonly owners: ReadonlyMap<string, SchemaOwner> } | null = null;

  /** How subgraphs are called outside the data path (see RegistryOptions.http). */
  readonly http: SubgraphHttp;

  constructor(private readonly store: PlatformStore, private readonly options: RegistryOptions = {}) {
    this.http = options.http ?? subgraphHttp();
  }

  /**
   * Who owns each type and field (R8), read once per policy version. Every change of ownership
   * — a publish's claims, a transfer, the claims at start — is followed by a new policy version
   * in the shared store, so the store's current policy version (one max() on its key), compared
   * with the version the owners were read at, shows a change made by any replica on the next
   * call; this replica's own writes also drop the cache at once. A transfer commits with its
   * policy version; a publish's claims commit just before theirs, and a check that meanwhile
   * misses them is caught at publish (recordClaims refuses an element claimed meanwhile).
   * `fresh` reads the table regardless, for the decisions that change ownership.
   */
  async owners(fresh = false): Promise<ReadonlyMap<string, SchemaOwner>> {
    const policyVersion = await this.store.currentVersion();
    if (fresh || this.ownersCache?.policyVersion !== policyVersion) {
      this.ownersCache = { policyVersion, owners: await readOwners(this.store.db) };
    }
    return this.ownersCache.owners;
  }

  /** The hosts a department's subgraphs may be registered at. */
  hostsOf(department: string): Promise<string[]> {
    return hostsOf(this.store.db, department);
  }

  /** Platform administrator: sets the hosts a department's subgraphs may be registered at. */
  async setHosts(identity: Identity, department: string, hosts: readonly string[]): Promise<string[]> {
    if (identity.kind !== 'PLATFORM_ADMIN') throw new RegistryError('only the coordinating office sets the hosts a department may register subgraphs at', ErrorCode.FORBIDDEN);
    if (!(await this.store.departments()).some((d) => d.code === department)) throw new RegistryError(`there is no department ${JSON.stringify(department)}`, ErrorCode.NOT_FOUND);
    const normalized = hosts.map(normalizeHost);
    const bad = normalized.filter((h) => !HOST.test(h));
    if (bad.length) throw new RegistryError(`a host is a DNS name or an IP address without scheme, port or path; received ${bad.map((h) => JSON.stringify(h)).join(', ')}`);
    await replaceHosts(this.store.db, department, normalized, actorOf(identity));
    return this.hostsOf(department);
  }

  /**
   * Coordinating office only (R8): makes another department the owner — the authoritative
   * source — of a type or field. The provider of every policy decision follows at once.
   */
  async transferOwnership(identity: Identity, element: string, toDepartment: string, reason: string): Promise<SchemaOwner> {
    if (identity.kind !== 'PLATFORM_ADMIN') throw new RegistryError('only the coordinating office changes who owns a type or field (R8)', ErrorCode.FORBIDDEN);
    if (!reason.trim()) throw new RegistryError('state the reason for the transfer (recorded and sent to both departments)');
    const current = (await this.owners(true)).get(element);
    if (!current) throw new RegistryError(`nobody owns ${JSON.stringify(element)}: name a published type (Person) or field (Person.maritalStatus)`, ErrorCode.NOT_FOUND);
    if (!(await this.store.departments()).some((d) => d.code === toDepartment)) throw new RegistryError(`there is no department ${JSON.stringify(toDepartment)}`, ErrorCode.NOT_FOUND);
    if (current.department === toDepartment) throw new RegistryError(`${element} is already ${toDepartment}'s`);
    const subgraph = this.current.subgraphs.find((s) => s.department === toDepartment)?.name ?? current.subgraph;
    // The provider of the field changes: a new policy version, so no request is decided half on
    // each, committed with the transfer so that no replica reads the one without the other.
    await this.store.appendVersion('OWNERSHIP', `${element}: ${current.department} → ${toDepartment}: ${reason.trim()}`, actorOf(identity), async (trx, previous) => {
      await transferOwner(trx, element, toDepartment, subgraph, actorOf(identity), reason.trim());
      return [...previous];
    });
    this.ownersCache = null;
    const owners = await this.owners();
    return owners.get(element)!;
  }

  /**
   * Who may register this subgraph, at which address — decided before anything is fetched
   * from that address (a department's token must not make the platform call arbitrary hosts).
   */
  async authorizeRegistration(identity: Identity, candidate: Pick<RegisteredSubgraph, 'name' | 'url' | 'department'>): Promise<void> {
    this.authorize(identity, candidate);
    let host: string;
    try {
      host = normalizeHost(new URL(candidate.url).hostname);
    } catch {
      throw new RegistryError(`the subgraph URL is http(s)://host:port/path, received ${JSON.stringify(candidate.url)}`);
    }
    const allowed = await this.hostsOf(candidate.department);
    if (!allowed.includes(host)) {
      throw new RegistryError(
        `${host} is not one of ${candidate.department}'s registered subgraph hosts (${allowed.join(', ') || 'none'}); the coordinating office sets them (setDepartmentHosts)`,
        ErrorCode.FORBIDDEN,
      );
    }
  }

  get current(): SupergraphVersion {
    if (!this.currentVersion) throw new Error('the registry has no published supergraph yet');
    return this.currentVersion;
  }

  private parsed: { version: number; sdls: readonly SubgraphSdl[] } | null = null;

  /** The registered subgraphs as the policy reads them (department, parsed SDL) — of the newest version in the store. */
  async subgraphSdls(): Promise<readonly SubgraphSdl[]> {
    const current = (await this.sync()) ?? this.current;
    if (this.parsed?.version !== current.version) {
      this.parsed = { version: current.version, sdls: current.subgraphs.map((s) => ({ name: s.name, department: s.department, typeDefs: parse(s.sdl) })) };
    }
    return this.parsed.sdls;
  }

  onPublished(listener: (version: SupergraphVersion) => void): void {
    this.listeners.add(listener);
  }

  /** Loads the newest published version from the store; tells the gateway when it changed. */
  async sync(): Promise<SupergraphVersion | null> {
    const row = await this.store.db.selectFrom('supergraph_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (!row) return null;
    // Versions only grow (a rollback is a new one): a sync that read before another one never takes the gateway back.
    if (this.currentVersion && this.currentVersion.version >= Number(row.version)) return this.currentVersion;
    const version = toVersion(row);
    this.currentVersion = version;
    this.gatewayUpdate?.(version.supergraphSdl);
    for (const listener of this.listeners) listener(version);
    return version;
  }

  async history(limit = 50): Promise<SupergraphVersion[]> {
    const rows = await this.store.db.selectFrom('supergraph_versions').selectAll().orderBy('version', 'desc').limit(limit).execute();
    return rows.map(toVersion);
  }

  /** Runs every check of a candidate registration against the current published version. */
  async check(identity: Identity, candidate: RegisteredSubgraph): Promise<CheckReport> {
    await this.authorizeRegistration(identity, candidate);
    const base = this.currentVersion?.subgraphs ?? [];
    const next = [...base.filter((s) => s.name !== candidate.name), candidate];
    const { composed, problems } = compose(next);
    const { errors, unclassified } = classification(candidate, await standingMandateOverrides(this.store.db));
    const ownership = await this.ownershipOf(candidate, base.filter((s) => s.name !== candidate.name));
    // R2: every field has its place in the catalogue; a registration the catalogue cannot list is refused.
    if (composed) {
      try {
        placeCatalogue(next.map((s) => ({ name: s.name, department: s.department, typeDefs: parse(s.sdl) })));
      } catch (error) {
        if (!(error instanceof CatalogueBuildError)) throw error;
        errors.push(...error.problems.map((p) => `catalogue: ${p}`));
      }
    }
    let changes: CheckReport['breakingChanges'] = [];
    let affectedUsage: CheckReport['affectedUsage'] = [];
    if (composed && this.currentVersion) {
      const before = compose(this.currentVersion.subgraphs).composed;
      if (before) changes = breakingChanges(before.apiSchema, composed.apiSchema);
      if (changes.length && this.options.usage) {
        affectedUsage = await this.options.usage([...new Set(changes.map((c) => c.coordinate))], new Date(Date.now() - USAGE_WINDOW_DAYS * 86_400_000));
      }
    }
    return {
      subgraph: candidate.name,
      ok: problems.length === 0 && errors.length === 0 && ownership.problems.length === 0,
      composition: problems,
      classificationErrors: errors,
      unclassified,
      ownershipErrors: ownership.problems,
      claims: ownership.claims.map((c) => c.element),
      breakingChanges: changes,
      affectedUsage,
      supergraphSdl: composed?.supergraphSdl ?? null,
    };
  }

  /**
   * Publishes a registration: checks it, stores it, makes a new supergraph version. Breaking
   * changes are published only when `acceptBreaking` says the department has seen who it breaks.
   */
  async publish(identity: Identity, candidate: RegisteredSubgraph, reason: string, { acceptBreaking = false, kind = 'PUBLISH' } = {}): Promise<{ version: SupergraphVersion; report: CheckReport }> {
    if (!reason.trim()) throw new RegistryError('state the reason for publishing (recorded with the version)');
    const report = await this.check(identity, candidate);
    if (!report.ok || !report.supergraphSdl) throw new RegistryError(`${candidate.name} does not pass the checks: ${[...report.ownershipErrors, ...report.composition.map((p) => p.message), ...report.classificationErrors].join('; ')}`, ErrorCode.CHECK_FAILED, report);
    if (report.breakingChanges.length && !acceptBreaking) {
      const users = [...new Set(report.affectedUsage.map((u) => u.consumer))];
      throw new RegistryError(
        `${candidate.name} would break ${report.breakingChanges.map((c) => c.coordinate).join(', ')}` +
          (users.length ? `, used in the last ${USAGE_WINDOW_DAYS} days by ${users.join(', ')}` : '') +
          '; publish with acceptBreaking after agreeing with them',
        ErrorCode.CHECK_FAILED,
        report,
      );
    }
    const now = new Date().toISOString();
    const actor = `${identity.department}:${identity.credentialId}`;
    const subgraphs = [...(this.currentVersion?.subgraphs ?? []).filter((s) => s.name !== candidate.name), candidate];
    const claims: Claim[] = report.claims.map((element) => ({ element, kind: element.includes('.') ? 'FIELD' : 'TYPE' }));
    await this.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('subgraphs')
        .values({ name: candidate.name, department: candidate.department, url: candidate.url, sdl: candidate.sdl, registered_at: now, updated_at: now, updated_by: actor })
        .onConflict((oc) => oc.column('name').doUpdateSet({ url: candidate.url, sdl: candidate.sdl, updated_at: now, updated_by: actor }))
        .execute();
      // R8: what nobody owned yet becomes this department's, once and for all.
      const lost = await recordClaims(trx, claims, { department: candidate.department, subgraph: candidate.name }, actor, `first published in ${candidate.name}: ${reason.trim()}`);
      if (lost.length) throw new RegistryError(`published meanwhile by another department: ${lost.join(', ')} (R8); check again`, ErrorCode.CHECK_FAILED, report);
    });
    this.ownersCache = null;
    const version = await this.appendVersion(report.supergraphSdl, subgraphs, kind, actor, `${candidate.name}: ${reason.trim()}`);
    return { version, report };
  }

  /** Publishes the subgraphs of an earlier version again, as a new version. */
  async rollback(identity: Identity, targetVersion: number, reason: string): Promise<SupergraphVersion> {
    if (identity.kind !== 'PLATFORM_ADMIN') throw new RegistryError('only the platform administrator rolls the supergraph back', ErrorCode.FORBIDDEN);
    const row = await this.store.db.selectFrom('supergraph_versions').selectAll().where('version', '=', targetVersion).executeTakeFirst();
    if (!row) throw new RegistryError(`there is no supergraph version ${targetVersion}`);
    const target = toVersion(row);
    // Subgraphs keep their current address: a rollback restores schemas, not old ports.
    const urls = new Map(this.current.subgraphs.map((s) => [s.name, s.url]));
    const subgraphs = target.subgraphs.map((s) => ({ ...s, url: urls.get(s.name) ?? s.url }));
    // Ownership is not rolled back (R8): an old schema that resolves another department's
    // field, or a field since transferred, is refused like a new publish would be.
    const owners = await this.owners(true);
    const wouldClaim: string[] = [];
    for (const s of subgraphs) {
      const report = await this.ownershipOf(s, subgraphs.filter((o) => o.name !== s.name), owners);
      if (report.problems.length) throw new RegistryError(`version ${targetVersion} cannot be restored: ${report.problems.join('; ')}`, ErrorCode.CHECK_FAILED);
      wouldClaim.push(...report.claims.map((c) => c.element));
    }
    const { composed, problems } = compose(subgraphs);
    if (!composed) throw new RegistryError(`version ${targetVersion} no longer composes: ${problems.map((p) => p.message).join('; ')}`, ErrorCode.CHECK_FAILED);
    return this.appendVersion(composed.supergraphSdl, subgraphs, 'ROLLBACK', `${identity.department}:${identity.credentialId}`, `rollback to ${targetVersion}: ${reason}`);
  }

  /** At start: the platform's own subgraphs registered through the same path as any department's. */
  async publishAll(identity: Identity, subgraphs: readonly RegisteredSubgraph[], reason: string): Promise<SupergraphVersion> {
    await this.sync();
    const unchanged = this.currentVersion
      && this.currentVersion.subgraphs.length >= subgraphs.length
      && subgraphs.every((s) => this.currentVersion!.subgraphs.some((c) => c.name === s.name && c.url === s.url && c.sdl === s.sdl));
    if (unchanged) return this.currentVersion!;
    const mandateOverrides = await standingMandateOverrides(this.store.db);
    for (const s of subgraphs) {
      this.authorize(identity, s);
      const { errors } = classification(s, mandateOverrides);
      if (errors.length) throw new RegistryError(`${s.name} does not pass the checks: ${errors.join('; ')}`, ErrorCode.CHECK_FAILED);
    }
    // Registrations made before ownership was recorded are claimed first, in the order they were first registered.
    await this.backfillOwnership();
    await this.claimInOrder(subgraphs, 'system:startup', true);
    const kept = (this.currentVersion?.subgraphs ?? []).filter((c) => !subgraphs.some((s) => s.name === c.name));
    const all = [...subgraphs, ...kept];
    let { composed, problems } = compose(all);
    let final = all;
    if (!composed) {
      // A department's subgraph registered earlier no longer composes with this release:
      // start with the platform's own, and report the other.
      this.options.log?.(`registry: keeping only the platform's subgraphs; ${kept.map((k) => k.name).join(', ')} no longer compose: ${problems.map((p) => p.message).join('; ')}`);
      ({ composed, problems } = compose(subgraphs));
      final = [...subgraphs];
      if (!composed) throw new RegistryError(`the platform's subgraphs do not compose: ${problems.map((p) => p.message).join('; ')}`, ErrorCode.CHECK_FAILED);
    }
    const now = new Date().toISOString();
    for (const s of subgraphs) {
      await this.store.db.insertInto('subgraphs')
        .values({ name: s.name, department: s.department, url: s.url, sdl: s.sdl, registered_at: now, updated_at: now, updated_by: 'system:startup' })
        .onConflict((oc) => oc.column('name').doUpdateSet({ url: s.url, sdl: s.sdl, updated_at: now, updated_by: 'system:startup' }))
        .execute();
    }
    return this.appendVersion(composed.supergraphSdl, final, 'STARTUP', 'system:startup', reason);
  }

  /** The ApolloGateway supergraph manager: the current version now, every later one as it is published. */
  supergraphManager(): SupergraphManager {
    return {
      initialize: async ({ update }) => {
        this.gatewayUpdate = update;
        return {
          supergraphSdl: this.current.supergraphSdl,
          cleanup: async () => {
            this.gatewayUpdate = null;
          },
        };
      },
    };
  }

  /** Syncs on every version another replica announces (the `registry` change), and every `pollMs` in case one was missed. */
  startPolling(onError: (error: unknown) => void, pollMs = REGISTRY_POLL_MS): void {
    this.unsubscribe ??= this.store.changes.subscribe('registry', () => void this.sync().catch(onError));
    this.pollTimer ??= setInterval(() => void this.sync().catch(onError), pollMs);
    this.pollTimer.unref();
    this.probeTimer ??= setInterval(() => void this.probe().catch(onError), HEALTH_PROBE_MS);
    this.probeTimer.unref();
  }

  stop(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.pollTimer = null;
    this.probeTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Probes every registered subgraph's /healthz once. */
  async probe(): Promise<SubgraphHealth[]> {
    const results = await Promise.all(this.current.subgraphs.map(async (s): Promise<SubgraphHealth> => {
      const previous = this.health.get(s.name);
      let healthy = false;
      let detail: string;
      try {
        const res = await this.http(s.url.replace(/\/graphql$/, '/healthz'), { timeoutMs: 2000 });
        healthy = res.ok;
        detail = res.ok ? 'ok' : `HTTP ${res.status}`;
      } catch (error) {
        detail = (error as Error).message;
      }
      const since = previous && previous.healthy === healthy ? previous.since : new Date().toISOString();
      return { name: s.name, url: s.url, healthy, since, detail };
    }));
    for (const r of results) this.health.set(r.name, r);
    return results;
  }

  /** The last probe's verdict; unknown (never probed) counts as healthy. */
  healthOf(name: string): SubgraphHealth | undefined {
    return this.health.get(name);
  }

  healthAll(): SubgraphHealth[] {
    return (this.currentVersion?.subgraphs ?? []).map((s) => this.health.get(s.name) ?? { name: s.name, url: s.url, healthy: true, since: '', detail: 'not probed yet' });
  }

  /** The ownership check of one registration against the owners and the other registrations. */
  private async ownershipOf(candidate: RegisteredSubgraph, others: readonly RegisteredSubgraph[], owners?: ReadonlyMap<string, Owner>) {
    const mayRead = this.options.mayRead;
    return checkOwnership(parse(candidate.sdl), {
      department: candidate.department,
      subgraph: candidate.name,
      owners: owners ?? (await this.owners()),
      registered: others.map(toSdl),
      mayRead: (coordinate) => mayRead?.(candidate.department, coordinate) ?? true,
    });
  }

  /**
   * Claims what a batch of registrations defines, one after another, each checked against
   * what the earlier ones claimed. A type is first claimed by the registration that declares
   * it a catalogue resource (@catalogue on the type): an entity's stub in another department's
   * subgraph never makes that department its owner, whatever the order.
   */
  private async claimInOrder(subgraphs: readonly RegisteredSubgraph[], actor: string, strict: boolean): Promise<void> {
    const { steps } = claimInOrder(subgraphs.map(toSdl), await this.owners(true));
    for (const step of steps) {
      if (!step.problems.length) continue;
      if (strict) throw new RegistryError(`${step.subgraph} does not pass the checks: ${step.problems.join('; ')}`, ErrorCode.CHECK_FAILED);
      this.options.log?.(`registry: ${step.subgraph} breaks the ownership rules (R8): ${step.problems.join('; ')}`);
    }
    await this.store.db.transaction().execute(async (trx) => {
      for (const step of steps) await recordClaims(trx, step.claims, step.owner, actor, step.reason);
    });
    this.ownersCache = null;
  }

  /** A platform upgraded from before ownership was recorded: its registrations are claimed in order of first registration. */
  private async backfillOwnership(): Promise<void> {
    const any = await this.store.db.selectFrom('schema_owners').select('element').limit(1).executeTakeFirst();
    if (any || !this.currentVersion) return;
    const firstRegistered = await this.store.db.selectFrom('subgraphs').select(['name', 'registered_at']).orderBy('registered_at').orderBy('name').execute();
    const order = new Map(firstRegistered.map((r, i) => [r.name, i]));
    const ordered = [...this.currentVersion.subgraphs].sort((a, b) => (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9));
    await this.claimInOrder(ordered, 'system:backfill', false);
  }

  private authorize(identity: Identity, candidate: Pick<RegisteredSubgraph, 'name' | 'url' | 'department'>): void {
    if (!NAME.test(candidate.name)) throw new RegistryError(`a subgraph name is 2–41 lower-case letters, digits or -, starting with a letter; received ${JSON.stringify(candidate.name)}`);
    if (!/^https?:\/\/\S+$/.test(candidate.url)) throw new RegistryError(`the subgraph URL is http(s)://…, received ${JSON.stringify(candidate.url)}`);
    const existing = this.currentVersion?.subgraphs.find((s) => s.name === candidate.name);
    if (identity.kind === 'PLATFORM_ADMIN') return;
    if (identity.kind !== 'DEPARTMENT_ADMIN') throw new RegistryError('a department administrator registers its department\'s subgraphs', ErrorCode.FORBIDDEN);
    if (candidate.department !== identity.department) throw new RegistryError(`you administer ${identity.department}; you cannot register a subgraph for ${candidate.department}`, ErrorCode.FORBIDDEN);
    if (existing && existing.department !== identity.department) throw new RegistryError(`subgraph ${candidate.name} belongs to ${existing.department}`, ErrorCode.FORBIDDEN);
  }

  private async appendVersion(supergraphSdl: string, subgraphs: readonly RegisteredSubgraph[], kind: string, actor: string, reason: string): Promise<SupergraphVersion> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.db.transaction().execute(async (trx) => {
          const last = await trx.selectFrom('supergraph_versions').select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
          await trx.insertInto('supergraph_versions').values({
            version: (last ? Number(last.version) : 0) + 1, supergraph_sdl: supergraphSdl, subgraphs_json: JSON.stringify(subgraphs),
            kind, actor, reason, created_at: new Date().toISOString(),
          }).execute();
          await this.store.changes.publish('registry', undefined, trx);
        });
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (!(code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') || attempt >= 5) throw error;
      }
    }
    // The fields under policy changed with the schema: a new policy version, so gateways and
    // subgraphs never decide a request on a snapshot that lacks (or still has) these fields.
    await this.store.appendVersion('REGISTRY', reason, actor, async (_trx, previous) => [...previous]);
    return (await this.sync())!;
  }
}

function actorOf(identity: Identity): string {
  return `${identity.department}:${identity.credentialId}`;
}

function toSdl(s: RegisteredSubgraph): RegisteredSdl {
  return { name: s.name, department: s.department, typeDefs: parse(s.sdl) };
}

function toVersion(row: { version: number; supergraph_sdl: string; subgraphs_json: string; kind: string; actor: string; reason: string; created_at: string }): SupergraphVersion {
  return {
    version: Number(row.version), supergraphSdl: row.supergraph_sdl, subgraphs: JSON.parse(row.subgraphs_json) as RegisteredSubgraph[],
    kind: row.kind, actor: row.actor, reason: row.reason, createdAt: row.created_at,
  };
}
