/**
 * Fixtures for the catalogue's tests: the demo policy snapshot built from the subgraphs' SDL
 * (as the platform builds it), the demo departments' names, and modified copies of a
 * subgraph's SDL — to show what the catalogue does with a field it cannot place or classify.
 */
import { parse, print } from 'graphql';
import { DEMO_DEPARTMENTS, DEMO_PURPOSES } from '../../demo/departments.ts';
import { fieldsUnderPolicy, type SubgraphSdl } from '../../policies/fieldsUnderPolicy.ts';
import type { Grant, PolicyOverride } from '../../policies/model.ts';
import { PolicySnapshot, effectiveFieldPolicies } from '../../policies/snapshot.ts';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { subgraphTypeDefs } from '../../schema/federation.ts';
import type { ProviderName } from './buildCatalogue.ts';

export function demoSnapshot(options: { version?: number; overrides?: readonly PolicyOverride[]; grants?: readonly Grant[]; subgraphs?: readonly SubgraphSdl[] } = {}): PolicySnapshot {
  return new PolicySnapshot({
    version: options.version ?? 1,
    fields: effectiveFieldPolicies(fieldsUnderPolicy(options.subgraphs ?? SUBGRAPHS), options.overrides ?? []),
    grants: options.grants ?? [],
    departments: DEMO_DEPARTMENTS.map((d) => ({ code: d.code, jurisdiction: d.jurisdiction })),
    purposes: DEMO_PURPOSES.map((p) => p.code),
  });
}

export const DEMO_PROVIDER_NAMES: ReadonlyMap<string, ProviderName> = new Map(DEMO_DEPARTMENTS.map((d) => [d.code, { name: d.name, nameEn: d.nameEn }]));

export const demoProviders = async () => DEMO_DEPARTMENTS.map((d) => ({ code: d.code, name: d.name, nameEn: d.nameEn }));

/** The subgraphs with one of them given extra SDL (appended to its own). */
export function withExtraSdl(name: string, extra: string, subgraphs: readonly SubgraphSdl[] = SUBGRAPHS): SubgraphSdl[] {
  if (!subgraphs.some((s) => s.name === name)) throw new Error(`withExtraSdl: no subgraph ${name}`);
  return subgraphs.map((s) => (s.name === name ? { name: s.name, department: s.department, typeDefs: parse(`${print(s.typeDefs)}\n${extra}`) } : s));
}

/** A department's subgraph registered at run time (civil affairs' social assistance), as the registry tests do. */
export const SOCIAL_ASSISTANCE: SubgraphSdl = {
  name: 'social-assistance',
  department: 'mca',
  typeDefs: subgraphTypeDefs(/* GraphQL */ `
type Person @key(fields: "idNumber") {
  idNumber: ID!
  "Social assistance the person receives (社会救助)."
  socialAssistance: SocialAssistance @sharing(class: "CONDITIONAL", purposes: ["ADMINISTRATIVE_BASIS"], basis: "《社会救助暂行办法》第六十六条")
}
"Social assistance granted to a person."
type SocialAssistance @catalogue(name: "社会救助信息", nameEn: "Social assistance", code: "MCA-SA-001", updateCycle: "MONTHLY", abstract: "民政部门认定的社会救助对象及救助类别。") {
  "Kind of assistance (救助类别)."
  kind: String @sharing(class: "UNCONDITIONAL")
  "Since when (救助起始日期)."
  since: Date @sharing(class: "UNCONDITIONAL")
}
`),
};
