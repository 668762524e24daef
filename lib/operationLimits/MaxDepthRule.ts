import { Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { limitError } from './limitError.ts';

/**
 * Operations may nest fields at most `max` deep (fragments included), so one request cannot
 * fan out into an unbounded tree of subgraph fetches. Introspection fields are not counted.
 *
 * How deep a fragment nests is computed once per document and reused at every spread:
 * following each spread afresh costs as much as the expanded document (2^n for n fragments
 * that each spread the next twice).
 */
export function MaxDepthRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    // Levels of fields below a selection set, introspection excluded; a fragment being
    // computed counts 0 where it recurs (the cycle is NoFragmentCyclesRule's to report).
    const below = new Map<string, number>();
    const computing = new Set<string>();
    const fragmentLevels = (name: string): number => {
      const known = below.get(name);
      if (known !== undefined) return known;
      const fragment = fragments.get(name);
      if (!fragment || computing.has(name)) return 0;
      computing.add(name);
      const levels = levelsBelow(fragment.selectionSet);
      computing.delete(name);
      below.set(name, levels);
      return levels;
    };
    const levelsBelow = (set: SelectionSetNode): number => {
      let deepest = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          // Introspection (__schema, __type) is bounded by the schema itself, and GraphiQL's
          // own introspection query nests 13 levels.
          if (s.selectionSet && !s.name.value.startsWith('__')) deepest = Math.max(deepest, 1 + levelsBelow(s.selectionSet));
        } else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, levelsBelow(s.selectionSet));
        else deepest = Math.max(deepest, fragmentLevels(s.name.value));
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = 1 + levelsBelow(node.selectionSet);
        if (depth > max) context.reportError(limitError('depth', `the operation nests ${depth} levels deep; at most ${max} are allowed — split it into several operations`, node));
      },
    };
  };
}
