import { Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { limitError } from './limitError.ts';

/**
 * Operations may nest fields at most `max` deep (fragments included), so one request cannot
 * fan out into an unbounded tree of subgraph fetches. Introspection fields are not counted.
 */
export function MaxDepthRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const depthOf = (set: SelectionSetNode, depth: number, seen: Set<string>): number => {
      let deepest = depth;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          // Introspection (__schema, __type) is bounded by the schema itself, and GraphiQL's
          // own introspection query nests 13 levels.
          if (s.selectionSet && !s.name.value.startsWith('__')) deepest = Math.max(deepest, depthOf(s.selectionSet, depth + 1, seen));
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(s.selectionSet, depth, seen));
        } else if (!seen.has(s.name.value)) {
          const fragment = fragments.get(s.name.value);
          if (fragment) deepest = Math.max(deepest, depthOf(fragment.selectionSet, depth, new Set([...seen, s.name.value])));
        }
        if (deepest > max) return deepest;
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, 1, new Set());
        if (depth > max) context.reportError(limitError('depth', `the operation nests ${depth > max + 1 ? 'more than ' + max : depth} levels deep; at most ${max} are allowed — split it into several operations`, node));
      },
    };
  };
}
