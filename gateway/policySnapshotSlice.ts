/**
 * What `/internal/policy-snapshot` serves one subgraph: least privilege (R10). Departments do
 * not trust each other, so a subgraph gets the policy of the fields its own schema has and
 * nothing about the rest of the platform: the field policies of the coordinates its registered
 * SDL defines or extends (its own fields and the keys it resolves; not the `@external` fields
 * it only receives through @requires), the grants on those coordinates, and every
 * department's jurisdiction and the purposes (its row conditions and purpose checks need them).
 */
import { Kind, parse, type DocumentNode } from 'graphql';
import { classifyingCoordinate } from '../policies/model.ts';
import type { SnapshotData, PolicySnapshot } from '../policies/snapshot.ts';

export interface RegisteredSchemas {
  /** Changes whenever any registration changes (the registry's supergraph version). */
  readonly version: number;
  readonly subgraphs: readonly { readonly name: string; readonly sdl: string }[];
}

/** Slices kept (versions × subgraphs); requests in flight may still ask for older versions. */
const CACHE_LIMIT = 256;

export class PolicySnapshotSlices {
  private readonly slices = new Map<string, SnapshotData>();
  private readonly coordinates = new Map<string, ReadonlySet<string>>();

  constructor(private readonly schemas: () => RegisteredSchemas) {}

  /** The slice of `snapshot` for `subgraph`; undefined when no such subgraph is registered. */
  sliceFor(snapshot: PolicySnapshot, subgraph: string): SnapshotData | undefined {
    const schemas = this.schemas();
    const key = `${snapshot.version}\u0000${schemas.version}\u0000${subgraph}`;
    const cached = this.slices.get(key);
    if (cached) return cached;
    const registered = schemas.subgraphs.find((s) => s.name === subgraph);
    if (!registered) return undefined;
    const coordinates = this.coordinatesOf(schemas.version, registered);
    const data = snapshot.data;
    const slice: SnapshotData = {
      version: data.version,
      // A row class (`Licence[kind=…]`) goes with its classifying field: the subgraph holds the rows.
      fields: data.fields.filter((f) => coordinates.has(classifyingCoordinate(f.coordinate))),
      grants: data.grants.filter((g) => coordinates.has(classifyingCoordinate(g.coordinate))),
      departments: data.departments,
      purposes: data.purposes,
    };
    this.slices.set(key, slice);
    if (this.slices.size > CACHE_LIMIT) this.slices.delete(this.slices.keys().next().value!);
    return slice;
  }

  private coordinatesOf(version: number, registered: { readonly name: string; readonly sdl: string }): ReadonlySet<string> {
    const key = `${version}\u0000${registered.name}`;
    let set = this.coordinates.get(key);
    if (!set) {
      set = schemaCoordinates(parse(registered.sdl));
      this.coordinates.set(key, set);
      if (this.coordinates.size > CACHE_LIMIT) this.coordinates.delete(this.coordinates.keys().next().value!);
    }
    return set;
  }
}

/** `Type.field` of every object or interface field the document defines or extends; `@external` ones that are no key left out. */
export function schemaCoordinates(document: DocumentNode): ReadonlySet<string> {
  const out = new Set<string>();
  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
      {
        const keys = new Set<string>();
        for (const d of definition.directives ?? []) {
          if (d.name.value !== 'key') continue;
          const fields = d.arguments?.find((a) => a.name.value === 'fields')?.value;
          if (fields?.kind === Kind.STRING) for (const f of fields.value.split(/[\s{}]+/)) if (f) keys.add(f);
        }
        for (const field of definition.fields ?? []) {
          // Fields it only receives (@requires inputs) are not its to decide; key fields always are.
          if (!keys.has(field.name.value) && field.directives?.some((d) => d.name.value === 'external')) continue;
          out.add(`${definition.name.value}.${field.name.value}`);
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}
