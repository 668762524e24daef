import type { ASTVisitor, ValidationContext } from 'graphql';
import { limitError } from './limitError.ts';

/** At most `max` directive uses per document (repeated @skip/@include is a known amplification trick). */
export function MaxDirectivesRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Directive(node) {
        if (++count === max + 1) context.reportError(limitError('directives', `the operation uses more than ${max} directives; at most ${max} are allowed`, node));
      },
    };
  };
}
