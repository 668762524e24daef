/**
 * The size of a document after fragment expansion, counted without expanding.
 *
 * Glossary: a document's *expanded size* is the number of field selections it would have if
 * every fragment spread were replaced by the fragment's selections, recursively. Spreading a
 * fragment twice doubles its share, so ten lines of `fragment Fi on Query { ...Fi+1 ...Fi+1 }`
 * expand to a thousand fields, thirty to a billion — and graphql-js validation rules that
 * walk through spreads, the gateway's query planner and the depth rule all pay for the
 * expansion, not for the text.
 *
 * Here each fragment's size is computed once (its own fields plus the sizes of the fragments
 * it spreads) and reused at every spread, so the count costs one pass over the document
 * whatever it expands to. Counts are plain numbers: a bomb's size overflows to Infinity at
 * worst, which still compares as too large.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export function expandedSize(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const sizes = new Map<string, number>();
  // A fragment being computed counts 0 where it is spread again: the cycle is NoFragmentCyclesRule's
  // to report, and the count must terminate first.
  const computing = new Set<string>();
  const fragmentSize = (name: string): number => {
    const known = sizes.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || computing.has(name)) return 0;
    computing.add(name);
    const size = setSize(fragment.selectionSet);
    computing.delete(name);
    sizes.set(name, size);
    return size;
  };
  const setSize = (set: SelectionSetNode): number => {
    let size = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) size += 1 + (s.selectionSet ? setSize(s.selectionSet) : 0);
      else if (s.kind === Kind.INLINE_FRAGMENT) size += setSize(s.selectionSet);
      else size += fragmentSize(s.name.value);
    }
    return size;
  };
  // Every operation is validated, so they add up; a fragment no operation uses is still
  // walked by validation (before NoUnusedFragmentsRule refuses it), so it counts on its own.
  // A used fragment never exceeds the operations that spread it, so the maximum is enough.
  let operations = 0;
  let largestFragment = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) operations += setSize(d.selectionSet);
    else if (d.kind === Kind.FRAGMENT_DEFINITION) largestFragment = Math.max(largestFragment, fragmentSize(d.name.value));
  }
  return Math.max(operations, largestFragment);
}
