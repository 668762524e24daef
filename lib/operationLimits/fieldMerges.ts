/**
 * How much work merging a document's fields would take, estimated without expanding it.
 *
 * Glossary: fields *merge* when they share a response name (alias or name) at the same
 * response path once fragments and inline fragments are spread in place — `{ t { a } t { b } }`
 * answers one `t` with both. graphql-js's OverlappingFieldsCanBeMergedRule checks that merged
 * fields agree by comparing them pairwise, and compares their sub-selections pairwise in turn,
 * so n fields merged at one path cost n(n-1)/2 comparisons there: `{ t { a } }` written 700
 * times is 245,000 comparisons at `t` and as many at `t.a`, half a second or more of one
 * request's validation. Fragments spread side by side are compared pairwise as well (m spreads
 * in one selection, m(m-1)/2 fragment pairs), and so are the spreads under two merged fields.
 *
 * The estimate, in units of about one field comparison (measured: 10,000 take graphql-js under
 * ~20 ms on a loaded 2-core machine): per merged response path with n fields merged there,
 * n(n-1)/2 pairs, counted twice where the fields have sub-selections (compared, then their
 * sub-selections merged); per level, the fragments spread there, each weighed c = 1 + the
 * spreads it brings along at its own top level: ((Σc)² - Σc²)/2 fragment pairs, counted twice,
 * plus Σc for comparing that level's fields with each. Summed over every operation from its
 * top level, and over every fragment no operation spreads (validation walks it too).
 * graphql-js memoizes fragment comparisons, so for documents that reuse fragments this is an
 * upper bound; for fragment-free documents it counts the comparisons the rule makes.
 *
 * Each selection set is reduced once to a *shape* — responseName → { count, child shape } —
 * and a fragment's shape is computed once and merged (counts added, never expanded) wherever
 * it is spread: a fragment bomb's shape stays small while its counts grow. Sums are taken once
 * per shape however often it is shared. A shape is handed over where its fragment is spread
 * at one place only, and merged smaller-into-larger; a fragment spread at several places is
 * shared and copied only where something merges into it below one path. So the count is one
 * pass over the document plus those copies, which the document's expanded size bounds
 * (./MaxExpandedSizeRule.ts runs first and limits it to 2,000). Exact counts can need more
 * (two copies of one fragment merging at every level of a long chain differ at every depth),
 * so a step cap (MAX_STEPS) stops the count and reports Infinity, refused as too costly.
 * Counts are plain numbers: Infinity at worst, which still compares as too large.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface FieldMerges {
  /** Estimated comparisons OverlappingFieldsCanBeMerged makes (see above). */
  readonly comparisons: number;
  /** The most fields merged at one response path. */
  readonly most: number;
  /**
   * Where: the definition (`query Name`, `the operation`, `fragment F` for a fragment no
   * operation spreads) and the response path from its top level, e.g. ['t', 't', 'a'].
   */
  readonly mostAt: { readonly definition: string; readonly path: readonly string[] };
  /** Steps the count took (at most MAX_STEPS, past which `comparisons` is Infinity). */
  readonly steps: number;
}

interface Entry {
  count: number;
  child: Shape | undefined;
  /** Whether `child` belongs to this entry (may be changed in place) or is shared. */
  owned: boolean;
}
interface Shape {
  readonly fields: Map<string, Entry>;
  /**
   * The fragment spreads in the selections merged here, each weighed as c = 1 + the spreads
   * it brings to this level in turn (a fragment spreading others at its top level is compared
   * through them): Σc, and Σc² to leave out the pairs within one spread.
   */
  spreads: number;
  spreadSquares: number;
}

/**
 * Most steps (shape entries created, added or copied) before the count gives up and reports
 * Infinity. A document inside the expanded-size limit (2,000 field selections) takes about as
 * many steps as it has fields and merges; the repo's largest, a few hundred.
 */
export const MAX_STEPS = 10_000;
class TooManySteps extends Error {}

const pairs = (k: number): number => (k * (k - 1)) / 2;

/**
 * Where each fragment is spread (once per selection, as below). A fragment spread at one
 * place only hands its shape over to that place, to be changed there in place; one spread at
 * several is shared, and copied where something merges into it.
 */
function spreadUses(document: DocumentNode): Map<string, number> {
  const uses = new Map<string, number>();
  const countSpreads = (set: SelectionSetNode, seen: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.selectionSet) countSpreads(selection.selectionSet, new Set());
      } else if (selection.kind === Kind.INLINE_FRAGMENT) countSpreads(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        uses.set(selection.name.value, (uses.get(selection.name.value) ?? 0) + 1);
      }
    }
  };
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) countSpreads(d.selectionSet, new Set());
  }
  return uses;
}

/** Reduces selection sets to shapes, counting its steps (see MAX_STEPS). */
class ShapeBuilder {
  steps = 0;
  /** Fragment name → its shape, computed once. */
  readonly shapes = new Map<string, Shape>();
  /** Spreads a fragment brings to the level it is spread at (its own weight c is 1 + this). */
  private readonly reach = new Map<string, number>();
  /**
   * A fragment being computed is empty where it is spread again: the cycle is
   * NoFragmentCyclesRule's to report, and the count must terminate first.
   */
  private readonly computing = new Set<string>();

  constructor(
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    readonly uses: Map<string, number>,
  ) {}

  private step(n = 1): void {
    this.steps += n;
    if (this.steps > MAX_STEPS) throw new TooManySteps();
  }

  private copy(shape: Shape): Shape {
    this.step(shape.fields.size);
    const fields = new Map<string, Entry>();
    for (const [name, e] of shape.fields) fields.set(name, { count: e.count, child: e.child, owned: false });
    return { fields, spreads: shape.spreads, spreadSquares: shape.spreadSquares };
  }

  /**
   * One shape holding both, changed in place where one is owned: the smaller is added into the
   * larger owned one (so a chain of fragments each adding a field to the next costs a step a
   * fragment, not the chain's length), or into a copy of the larger when both are shared.
   */
  private combine(a: Shape, aOwned: boolean, b: Shape, bOwned: boolean): Shape {
    const aInto = aOwned && (!bOwned || a.fields.size >= b.fields.size);
    const [into, from, fromOwned] = aInto
      ? [a, b, bOwned]
      : bOwned
        ? [b, a, aOwned]
        : a.fields.size >= b.fields.size ? [this.copy(a), b, false] : [this.copy(b), a, false];
    into.spreads += from.spreads;
    into.spreadSquares += from.spreadSquares;
    for (const [name, e] of from.fields) this.add(into, name, e.count, e.child, fromOwned && e.owned);
    return into;
  }

  /** Adds `count` fields named `name` with the merged selection `child` to `into` (which the caller owns). */
  private add(into: Shape, name: string, count: number, child: Shape | undefined, childOwned: boolean): void {
    this.step();
    const e = into.fields.get(name);
    if (!e) {
      into.fields.set(name, { count, child, owned: childOwned });
      return;
    }
    e.count += count;
    if (!child) return;
    if (!e.child) {
      e.child = child;
      e.owned = childOwned;
      return;
    }
    e.child = this.combine(e.child, e.owned, child, childOwned);
    e.owned = true;
  }

  fragmentShape(name: string): Shape | undefined {
    const known = this.shapes.get(name);
    if (known) return known;
    const fragment = this.fragments.get(name);
    if (!fragment || this.computing.has(name)) return undefined;
    this.computing.add(name);
    const shape = this.setShape(fragment.selectionSet);
    this.computing.delete(name);
    this.shapes.set(name, shape);
    this.reach.set(name, shape.spreads);
    return shape;
  }

  setShape(set: SelectionSetNode): Shape {
    let shape: Shape = { fields: new Map(), spreads: 0, spreadSquares: 0 };
    // Spreads of one fragment in one selection (inline fragments included) count once, as in
    // graphql-js; spreading it at two places merges it twice.
    const spread = new Set<string>();
    const collect = (s: SelectionSetNode): void => {
      for (const selection of s.selections) {
        if (selection.kind === Kind.FIELD) {
          this.add(shape, selection.alias?.value ?? selection.name.value, 1, selection.selectionSet ? this.setShape(selection.selectionSet) : undefined, true);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
        else spread.add(selection.name.value);
      }
    };
    collect(set);
    let spreads = 0;
    let spreadSquares = 0;
    for (const name of spread) {
      const fragment = this.fragmentShape(name);
      if (!fragment) continue;
      const weight = 1 + this.reach.get(name)!;
      spreads += weight;
      spreadSquares += weight * weight;
      shape = this.combine(shape, true, fragment, this.uses.get(name) === 1);
    }
    // This level's spreads are the ones here, each weighed with what it brings, not the
    // fragments' own (combine added those).
    shape.spreads = spreads;
    shape.spreadSquares = spreadSquares;
    return shape;
  }
}

/** Totals of one shape. */
interface Total {
  readonly comparisons: number;
  readonly most: number;
  /** The path to `most`, as a chain of response names. */
  readonly at: { readonly name: string; readonly next: Total['at'] } | undefined;
}

/** A shape's totals, taken once per shape however often it is shared (memoized in `totals`). */
function totalOf(shape: Shape, totals: WeakMap<Shape, Total>): Total {
  const known = totals.get(shape);
  if (known) return known;
  // Fragment pairs ((Σc)² - Σc²)/2, two units each, and Σc for comparing this level's
  // fields with each fragment.
  let comparisons = shape.spreads * shape.spreads - shape.spreadSquares + shape.spreads;
  let most = 0;
  let at: Total['at'];
  for (const [name, e] of shape.fields) {
    // A pair of fields with sub-selections is compared and has its sub-selections merged: two units.
    comparisons += (e.child ? 2 : 1) * pairs(e.count);
    if (e.count > most) {
      most = e.count;
      at = { name, next: undefined };
    }
    if (e.child) {
      const below = totalOf(e.child, totals);
      comparisons += below.comparisons;
      if (below.most > most) {
        most = below.most;
        at = { name, next: below.at };
      }
    }
  }
  const result = { comparisons, most, at };
  totals.set(shape, result);
  return result;
}

export function fieldMerges(document: DocumentNode): FieldMerges {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const builder = new ShapeBuilder(fragments, spreadUses(document));

  const totals = new WeakMap<Shape, Total>();
  const result = { comparisons: 0, most: 0, mostAt: { definition: 'the document', path: [] } as FieldMerges['mostAt'], steps: 0 };
  const count = (definition: string, shape: Shape): void => {
    const t = totalOf(shape, totals);
    result.comparisons += t.comparisons;
    if (t.most > result.most) {
      const path: string[] = [];
      for (let at = t.at; at; at = at.next) path.push(at.name);
      result.most = t.most;
      result.mostAt = { definition, path };
    }
  };
  try {
    // Every operation is validated, each from its top level; a fragment no operation spreads
    // is still validated on its own (before NoUnusedFragmentsRule refuses it), so it counts
    // on its own. A spread fragment's comparisons are already in the operations'.
    for (const d of document.definitions) {
      if (d.kind === Kind.OPERATION_DEFINITION) count(d.name ? `${d.operation} ${d.name.value}` : 'the operation', builder.setShape(d.selectionSet));
    }
    for (const d of document.definitions) {
      if (d.kind !== Kind.FRAGMENT_DEFINITION || builder.shapes.has(d.name.value)) continue;
      // Counted now, so no later fragment that spreads it may change it in place.
      builder.uses.set(d.name.value, Number.POSITIVE_INFINITY);
      count(`fragment ${d.name.value}`, builder.fragmentShape(d.name.value)!);
    }
  } catch (e) {
    if (!(e instanceof TooManySteps)) throw e;
    return { ...result, comparisons: Number.POSITIVE_INFINITY, steps: builder.steps };
  }
  return { ...result, steps: builder.steps };
}
