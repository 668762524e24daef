/**
 * Operation limits of the gateway and the management API: expanded size, depth, aliases,
 * root fields, directives (validation rules, graphql-js style, one per file), tokens (the
 * parser stops at `maxTokens`) and body size (the HTTP layer). Defaults are exported;
 * `GATEWAY_LIMITS` overrides none yet.
 */
import type { ValidationRule } from 'graphql';
import { MaxAliasesRule } from './MaxAliasesRule.ts';
import { MaxDepthRule } from './MaxDepthRule.ts';
import { MaxDirectivesRule } from './MaxDirectivesRule.ts';
import { MaxExpandedSizeRule } from './MaxExpandedSizeRule.ts';
import { MaxRootFieldsRule } from './MaxRootFieldsRule.ts';

export interface OperationLimits {
  /**
   * Field selections once fragments are spread in place (./expandedSize.ts). GraphiQL's
   * introspection query expands to 220; the console's largest document to 48.
   * @default 2000
   */
  readonly expandedSize: number;
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
    MaxDepthRule(limits.depth),
    MaxAliasesRule(limits.aliases),
    MaxRootFieldsRule(limits.rootFields),
    MaxDirectivesRule(limits.directives),
  ]);
}
