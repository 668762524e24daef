/** Per-request loaders of the enterprise profile: N profiles, one statement per table. */
import type { Kysely } from 'kysely';
import { recordLoader } from '../runtime/batch.ts';
import { EnterpriseProfileStore, type EnterpriseProfileDatabase, type RiskRule } from './store.ts';

export type EnterpriseProfileLoaders = ReturnType<typeof createEnterpriseProfileLoaders>;

/** Call once per request (see SubgraphContext): a cache must never outlive the caller's grants. */
export function createEnterpriseProfileLoaders(db: Kysely<EnterpriseProfileDatabase>) {
  const store = new EnterpriseProfileStore(db);
  // Every profile of a request is judged by the same rules: read once, on first use, so an
  // edit to the rules applies from the next request on.
  let rules: Promise<RiskRule[]> | undefined;
  return {
    riskRules: (): Promise<RiskRule[]> => (rules ??= store.enabledRiskRules()),
    focusByCreditCode: recordLoader((codes: readonly string[]) => store.focusOf(codes), (f) => f.creditCode),
  };
}
