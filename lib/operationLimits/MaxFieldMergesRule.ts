import type { ASTVisitor, ValidationContext } from 'graphql';
import { fieldMerges } from './fieldMerges.ts';
import { limitError, NOTHING } from './limitError.ts';

const said = (n: number): string => (Number.isFinite(n) && n < 1e15 ? Math.round(n).toLocaleString('en-US') : 'astronomically many');

/**
 * Fields that share a response path merge, and graphql-js's OverlappingFieldsCanBeMergedRule
 * compares them pairwise (./fieldMerges.ts): `{ t { a } }` written 700 times took it over half
 * a second on a loaded 2-core machine, as did 240 fragments each selecting `t { a }` and a
 * binary tree of `t`s eight deep — each well inside the token and expanded-size limits. This rule estimates that work
 * first and refuses a document where more than `most` fields merge at one response path, or
 * where merging would take more than `comparisons` comparisons.
 *
 * It refuses the way ./MaxExpandedSizeRule.ts does, on the Document, handing the rest of
 * validation an empty document (NOTHING), so OverlappingFieldsCanBeMerged never sees the
 * fields. It comes right after the expanded-size rule (./operationLimits.ts): a document that
 * rule refuses never reaches this one (graphql-js stops calling `Document` visitors once one
 * returns a node), and one it lets through expands to few enough fields that counting the
 * merges is quick.
 */
export function MaxFieldMergesRule(most: number, comparisons: number) {
  return (context: ValidationContext): ASTVisitor => ({
    Document(node) {
      const merges = fieldMerges(node);
      if (merges.most <= most && merges.comparisons <= comparisons) return undefined;
      const where = merges.mostAt.path.length ? merges.mostAt.path.join('.') : 'its top level';
      const place = merges.mostAt.definition === 'the operation' ? where : `${where} in ${merges.mostAt.definition}`;
      if (merges.most > most) {
        context.reportError(limitError(
          'fieldMerges',
          `the response name at ${place} is selected ${said(merges.most)} times once fragments are spread in place, and fields that share a response path are compared pairwise; at most ${most} may share one — select each field once (and spread each fragment once) at a place`,
        ));
      } else {
        const estimate = Number.isFinite(merges.comparisons) ? `about ${said(merges.comparisons)}` : 'more than can be counted quickly';
        const repeated = merges.most > 1 ? ` (the most fields merged at one place: ${said(merges.most)} at ${place})` : '';
        context.reportError(limitError(
          'fieldMergeComparisons',
          `checking that the fields which share a response path agree takes ${estimate} pairwise comparisons, fragment spreads included${repeated}; at most ${comparisons} are allowed — select each field once at a place, spread fewer fragments side by side, or split the operation into several`,
        ));
      }
      return NOTHING;
    },
  });
}
