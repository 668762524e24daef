/**
 * What one gateway replica signs and verifies with, read from the platform store
 * (signingKeyStore.ts): the active context key (re-read every few seconds, so a rotation made
 * anywhere reaches every replica), the context MAC root, the audit checkpoint key (read at
 * start: the audit writer holds its key for its lifetime, so a rotated checkpoint key signs
 * from each replica's next start), and the published key sets.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { macRootOfKey } from '../../lib/contextMac.ts';
import { toPublishedJwks, type PublishedJwks, type PublishedKeySet } from '../../lib/publishedKeySet.ts';
import type { ContextSigner } from '../../lib/sharingContext.ts';
import type { ActiveSigningKey, SigningKeyPurpose, SigningKeyStore } from './signingKeyStore.ts';

/** How often a replica looks for a rotated context key. @default 5 s */
export const KEY_REFRESH_MS = 5_000;
/** A verifier re-reads the store for an unknown kid at most this often. @default 1 s */
const UNKNOWN_KID_RELOAD_MS = 1_000;
/**
 * A rotated context key signs only once it has been published this long: longer than a
 * gateway keeps its published key set (1 s), so a subgraph that meets the new kid and fetches
 * the key set from any replica finds it there. @default 2.5 s
 */
export const PUBLISH_LEAD_MS = 2_500;

/** The keys a platform that kept them as files under DATA_DIR/keys had: brought into the store once. */
export interface FileKeys {
  readonly context?: KeyObject;
  readonly auditCheckpoint?: KeyObject;
}

/** Writes the platform's first keys and MAC root, once (the first start or `govgraph migrate`); existing keys stay. */
export async function provisionSigningKeys(store: SigningKeyStore, by: string, fileKeys: FileKeys = {}): Promise<void> {
  await store.ensure('context', by, fileKeys.context);
  // K_s stays what it was on a platform whose MAC keys came from its file key's seed.
  await store.ensureMacRoot(fileKeys.context ? macRootOfKey(fileKeys.context) : undefined);
  await store.ensure('audit-checkpoint', by, fileKeys.auditCheckpoint);
}

export class GatewayKeys {
  private signer: ContextSigner;
  private readonly published = new Map<SigningKeyPurpose, { keys: Map<string, KeyObject>; readAt: number }>();
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly store: SigningKeyStore,
    first: ActiveSigningKey,
    /** The context MAC root (lib/contextMac.ts). */
    readonly macRoot: Buffer,
    /** The key this replica's audit trail signs checkpoints with. */
    readonly auditCheckpoint: ActiveSigningKey,
  ) {
    this.signer = { kid: first.kid, privateKey: first.privateKey };
  }

  static async open(store: SigningKeyStore): Promise<GatewayKeys> {
    const [context, macRoot, audit] = await Promise.all([store.active('context', PUBLISH_LEAD_MS), store.macRoot(), store.active('audit-checkpoint')]);
    return new GatewayKeys(store, context, macRoot, audit);
  }

  /** The context key in force now. */
  context(): ContextSigner {
    return this.signer;
  }

  /** The public half of the active context key. */
  get contextPublicKey(): KeyObject {
    return createPublicKey(this.signer.privateKey);
  }

  /** Picks up a context key rotated on any replica or by `govgraph keys rotate-signing`. */
  async refresh(): Promise<void> {
    const active = await this.store.active('context', PUBLISH_LEAD_MS);
    if (active.kid !== this.signer.kid) this.signer = { kid: active.kid, privateKey: active.privateKey };
  }

  startPolling(onError: (error: unknown) => void, everyMs = KEY_REFRESH_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh().catch(onError), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The published keys of `purpose`, read from the store at most once a second. */
  async publicKeys(purpose: SigningKeyPurpose, maxAgeMs = UNKNOWN_KID_RELOAD_MS): Promise<Map<string, KeyObject>> {
    const cached = this.published.get(purpose);
    if (cached && Date.now() - cached.readAt < maxAgeMs) return cached.keys;
    const keys = await this.store.publicKeys(purpose);
    this.published.set(purpose, { keys, readAt: Date.now() });
    return keys;
  }

  async jwks(purpose: SigningKeyPurpose): Promise<PublishedJwks> {
    return toPublishedJwks((await this.publicKeys(purpose)).values());
  }

  /** The context keys as a verifier sees them (the gateway's own snapshot route): an unknown kid re-reads the store, at most once a second. */
  get contextKeySet(): PublishedKeySet {
    return {
      key: async (kid) => {
        const cached = this.published.get('context');
        return cached?.keys.get(kid) ?? (await this.publicKeys('context')).get(kid);
      },
    };
  }
}
