/**
 * Operation limits of the gateway and the management API: expanded size, field merges, depth, aliases,
 * root fields, directives (validation rules, graphql-js style, one per file), tokens (the
 * parser stops at `maxTokens`) and body size (the HTTP layer). Defaults are exported;
 * `GATEWAY_LIMITS` overrides none yet.
 */
import type { ValidationRule } from 'graphql';
import { MaxAliasesRule } from './MaxAliasesRule.ts';
import { MaxDepthRule } from './MaxDepthRule.ts';
import { MaxDirectivesRule } from './MaxDirectivesRule.ts';
import { MaxExpandedSizeRule } from './MaxExpandedSizeRule.ts';
import { MaxFieldMergesRule } from './MaxFieldMergesRule.ts';
import { MaxRootFieldsRule } from './MaxRootFieldsRule.ts';

export interface OperationLimits {
  /**
   * Field selections once fragments are spread in place (./expandedSize.ts). GraphiQL's
   * introspection query expands to 220; the console's largest document to 48.
   * @default 2000
   */
  readonly expandedSize: number;
  /**
   * Fields merged at one response path (same response name, fragments spread in place), which
   * graphql-js compares pairwise (./fieldMerges.ts). GraphiQL's introspection query and every
   * console, CLI and bench document merge at most 1; the repo's tests at most 2. `{ t { a } }`
   * written 700 times merges 700 and held validation for over half a second.
   * @default 64
   */
  readonly fieldMerges: number;
  /**
   * Comparisons OverlappingFieldsCanBeMerged would make, estimated (./fieldMerges.ts): GraphiQL's
   * introspection query 10, every console, CLI and bench document fewer, the repo's tests at
   * most 11. Documents just inside take it under about 20 ms on a loaded 2-core machine.
   * @default 10000
   */
  readonly fieldMergeComparisons: number;
  /** @default 12 */
  readonly depth: number;
  /** @default 30 */
  readonly aliases: number;
  /** @default 10 */
  readonly rootFields: number;
  /** @default 50 */
  readonly directives: number;
  /** @default 3000 */
  readonly tokens: number;
  /** Request body, in bytes. @default 262144 */
  readonly bodyBytes: number;
}

export const DEFAULT_LIMITS: OperationLimits = Object.freeze({
  expandedSize: 2000,
  fieldMerges: 64,
  fieldMergeComparisons: 10_000,
  depth: 12,
  aliases: 30,
  rootFields: 10,
  directives: 50,
  tokens: 3000,
  bodyBytes: 256 * 1024,
});

export function limitRules(limits: OperationLimits = DEFAULT_LIMITS): readonly ValidationRule[] {
  return Object.freeze([
    // First: it refuses a fragment bomb before any other rule walks through a spread.
    MaxExpandedSizeRule(limits.expandedSize),
    // Second, the same way: it refuses what OverlappingFieldsCanBeMerged would take long over.
    MaxFieldMergesRule(limits.fieldMerges, limits.fieldMergeComparisons),
    MaxDepthRule(limits.depth),
    MaxAliasesRule(limits.aliases),
    MaxRootFieldsRule(limits.rootFields),
    MaxDirectivesRule(limits.directives),
  ]);
}
