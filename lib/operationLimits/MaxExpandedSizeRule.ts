import type { ASTVisitor, ValidationContext } from 'graphql';
import { expandedSize } from './expandedSize.ts';
import { limitError, NOTHING } from './limitError.ts';

/**
 * A document may expand (fragments spread in place, see ./expandedSize.ts) to at most `max`
 * field selections.
 *
 * The check has to come before anything that expands fragments. Apollo Server 5 gives a
 * plugin no clean way to refuse before validation: an error thrown in `didResolveSource`,
 * `parsingDidStart`/its end or `validationDidStart` escapes the request pipeline and becomes
 * a 500 "Internal server error". So this is a validation rule, and it refuses on the very
 * first node validation visits, the Document: it reports the error and returns an empty
 * document in its place (graphql-js `visit` walks a node returned from `enter` instead of the
 * original), so no other rule — graphql-js's or ours — walks the selections. Rules entering
 * the Document before it (ExecutableDefinitions, LoneAnonymousOperation) only loop over the
 * definitions. It must stay first among the gateway's rules (./operationLimits.ts); ./MaxFieldMergesRule.ts
 * comes next and refuses the same way (NOTHING is in ./limitError.ts). A
 * refused document fails validation, so the query planner never sees it either.
 */
export function MaxExpandedSizeRule(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    Document(node) {
      const size = expandedSize(node);
      if (size <= max) return undefined;
      const said = Number.isFinite(size) && size < 1e15 ? `${size}` : 'astronomically many';
      context.reportError(limitError(
        'expandedSize',
        `the operation expands to ${said} field selections once its fragments are spread in place; at most ${max} are allowed — spread each fragment fewer times, or split the operation into several`,
      ));
      return NOTHING;
    },
  });
}
