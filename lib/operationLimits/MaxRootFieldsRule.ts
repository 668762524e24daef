import { Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { limitError } from './limitError.ts';

/**
 * At most `max` root fields per operation (introspection fields not counted): one request, a
 * bounded number of lookups. Fields a fragment brings to the root count too — otherwise
 * `{ ...F } fragment F on Query { … }` would take any number — by response name, as execution
 * merges them; each fragment is looked into once per operation.
 */
export function MaxRootFieldsRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    return {
      OperationDefinition(node) {
        const names = new Set<string>();
        const seen = new Set<string>();
        const collect = (set: SelectionSetNode) => {
          for (const s of set.selections) {
            if (s.kind === Kind.FIELD) {
              if (!s.name.value.startsWith('__')) names.add(s.alias?.value ?? s.name.value);
            } else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet);
            else if (!seen.has(s.name.value)) {
              seen.add(s.name.value);
              const fragment = fragments.get(s.name.value);
              if (fragment) collect(fragment.selectionSet);
            }
          }
        };
        collect(node.selectionSet);
        if (names.size > max) context.reportError(limitError('rootFields', `the operation asks for ${names.size} root fields; at most ${max} are allowed — split it into several operations`, node));
      },
    };
  };
}
