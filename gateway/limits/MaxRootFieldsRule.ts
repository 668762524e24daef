import { Kind, type ASTVisitor, type ValidationContext } from 'graphql';
import { limitError } from './limitError.ts';

/** At most `max` root fields per operation (introspection fields not counted): one request, a bounded number of lookups. */
export function MaxRootFieldsRule(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const count = node.selectionSet.selections.filter((s) => s.kind !== Kind.FIELD || !s.name.value.startsWith('__')).length;
      if (count > max) context.reportError(limitError('rootFields', `the operation asks for ${count} root fields; at most ${max} are allowed`, node));
    },
  });
}
