import type { ASTVisitor, ValidationContext } from 'graphql';
import { limitError } from './limitError.ts';

/** At most `max` aliased fields per document: aliases multiply work without multiplying the request's size. */
export function MaxAliasesRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias && ++aliases === max + 1) context.reportError(limitError('aliases', `the operation uses more than ${max} aliases; at most ${max} are allowed`, node));
      },
    };
  };
}
