/**
 * What every subgraph's SDL shares: the Federation 2 link, govgraph's sharing and catalogue
 * directives (kept through composition with @composeDirective so the gateway and the
 * catalogue read them from the supergraph), and the common scalars.
 *
 * Glossary:
 * - sharing class: UNCONDITIONAL (any department, any declared purpose), CONDITIONAL (by an
 *   approved application: a grant), NOT_SHARED (never to another department) — R1.
 * - purpose: the declared purpose of use a consumer states with each request — R6.
 * - basis: the legal basis cited for CONDITIONAL and NOT_SHARED — R1.
 */
import { parse, type DocumentNode } from 'graphql';

export const FEDERATION_VERSION = 'v2.7';

/** The sharing directives' own spec URL; an identifier only, never fetched. */
export const SHARING_SPEC_URL = 'https://govgraph.example/sharing/v0.1';

export const COMMON_SDL = /* GraphQL */ `
extend schema
  @link(url: "https://specs.apollo.dev/federation/${FEDERATION_VERSION}", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@composeDirective", "@inaccessible"])
  @link(url: "${SHARING_SPEC_URL}", import: ["@sharing", "@catalogue"])
  @composeDirective(name: "@sharing")
  @composeDirective(name: "@catalogue")

"""
How a field is shared with other departments (R1): its class, the purposes it may be read
for (empty: any declared purpose), the legal basis for restricting it, and whether a case
(matter) number must accompany each read. \`mandate\` marks an item that must be shared
unconditionally: BASIC_ITEM (基础信息项), LICENSING (tied to administrative licensing) or
PARALLEL_APPROVAL (tied to parallel approval) — 003 Guangdong art. 4; only the coordinating
office's reasoned override lets it be conditional or not shared. \`stateSecret: true\` marks
state-secret (涉密) data, which the platform refuses to register (001 art. 2).
"""
directive @sharing(class: String!, purposes: [String!], basis: String, caseIdRequired: Boolean, mandate: String, stateSecret: Boolean) on FIELD_DEFINITION

"""
Catalogue elements of a resource (R2): its name, resource code, update cycle and the
department functions it serves. On a type: the resource; on a field: one information item.
"""
directive @catalogue(name: String, nameEn: String, code: String, updateCycle: String, abstract: String) on OBJECT | FIELD_DEFINITION

"A calendar date, ISO 8601 (YYYY-MM-DD)."
scalar Date

"A GeoJSON geometry object (RFC 7946), coordinates in WGS 84 longitude/latitude."
scalar GeoJSON
`;

/** A subgraph's full SDL: the shared header plus the department's own types. */
export function subgraphTypeDefs(own: string): DocumentNode {
  return parse(COMMON_SDL + own);
}
