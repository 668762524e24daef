import { describe, expect, it } from 'vitest';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { expandedSize } from './expandedSize.ts';
import { limitRules, DEFAULT_LIMITS } from './operationLimits.ts';

/** `query{...F0}`, each Fi spreading Fi+1 twice: 2^n field selections in n+1 short lines. */
const fragmentBomb = (n: number): string => {
  let source = 'query{...F0}';
  for (let i = 0; i < n; i++) source += ` fragment F${i} on Query{...F${i + 1} ...F${i + 1}}`;
  return `${source} fragment F${n} on Query{__typename}`;
};

const schema = buildSchema('type Query { a: Int t: T } type T { a: Int b: Int t: T }');

describe('expandedSize', () => {
  it('counts every field selection as if fragments were spread in place', () => {
    expect(expandedSize(parse('{ a t { a b } }'))).toBe(4);
    expect(expandedSize(parse('{ t { ...F ...F ... on T { ...F } } } fragment F on T { a t { b } }'))).toBe(1 + 3 * 3);
    expect(expandedSize(parse(fragmentBomb(10)))).toBe(2 ** 10);
  });

  it('adds up the operations and counts a fragment no operation uses on its own', () => {
    expect(expandedSize(parse('query A { a } query B { a t { a } }'))).toBe(4);
    expect(expandedSize(parse('{ a } fragment Unused on Query { t { ...G ...G } } fragment G on T { a b }'))).toBe(5);
  });

  it('terminates on fragment cycles, counting the recurring spread as nothing', () => {
    expect(expandedSize(parse('{ ...A } fragment A on Query { a ...B } fragment B on Query { a ...A }'))).toBe(2);
    expect(expandedSize(parse('{ t { ...S } } fragment S on T { a ...S }'))).toBe(2);
  });

  it('costs one pass however far a document expands', () => {
    const started = performance.now();
    expect(expandedSize(parse(fragmentBomb(250)))).toBe(2 ** 250);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('limit rules against a fragment bomb', () => {
  it('refuses it with one expandedSize error before any other rule walks the spreads', () => {
    const started = performance.now();
    const errors = validate(schema, parse(fragmentBomb(60)), [...specifiedRules, ...limitRules()]);
    expect(performance.now() - started).toBeLessThan(200);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.extensions.limit).toBe('expandedSize');
    expect(errors[0]!.message).toMatch(new RegExp(`at most ${DEFAULT_LIMITS.expandedSize} are allowed`));
  });

  it('leaves the other rules to report a cycle, and the depth rule follows each fragment once', () => {
    const cycle = validate(schema, parse('{ ...A } fragment A on Query { a ...A }'), [...specifiedRules, ...limitRules()]);
    expect(cycle.map((e) => e.message)).toEqual(['Cannot spread fragment "A" within itself.']);
    // 2^11 paths through the fragments, each followed once: the depth is still exact.
    const deep = `{ t { ...D0 } } ${Array.from({ length: 11 }, (_, i) => `fragment D${i} on T { t { ...D${i + 1} } ...D${i + 1} }`).join(' ')} fragment D11 on T { a }`;
    const errors = validate(schema, parse(deep), limitRules({ ...DEFAULT_LIMITS, expandedSize: Number.POSITIVE_INFINITY, fieldMerges: Number.POSITIVE_INFINITY, fieldMergeComparisons: Number.POSITIVE_INFINITY }));
    expect(errors.map((e) => e.message)).toEqual([`the operation nests 13 levels deep; at most ${DEFAULT_LIMITS.depth} are allowed — split it into several operations`]);
  });

  it('counts root fields that fragments bring to the root', () => {
    const roots = `{ ...R } fragment R on Query { ${Array.from({ length: DEFAULT_LIMITS.rootFields + 1 }, (_, i) => `r${i}: a`).join(' ')} }`;
    const errors = validate(schema, parse(roots), limitRules());
    expect(errors.map((e) => e.extensions.limit)).toEqual(['rootFields']);
  });
});
