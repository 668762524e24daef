import { describe, expect, it } from 'vitest';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { DEFAULT_LIMITS, limitRules } from '../lib/operationLimits/operationLimits.ts';
import { adminTypeDefs } from '../control/admin/adminServer.ts';
import * as Q from '../web/console/queries.ts';

const { ALL_DOCUMENTS } = Q;

// The same SDL the admin server is made from (control/admin/adminServer.ts), so a document
// valid here is valid against /admin/graphql.
const schema = buildSchema(adminTypeDefs().join('\n'));

describe('console GraphQL documents', () => {
  it('validates every operation queries.ts exports (a new one must be added to ALL_DOCUMENTS)', () => {
    const operations = Object.entries(Q).filter(([, v]) => typeof v === 'string' && /^\s*(query|mutation|subscription)\b/.test(v)).map(([k]) => k);
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.filter((k) => !(k in ALL_DOCUMENTS))).toEqual([]);
  });

  // With the management API's operation limits (field merges, depth, aliases, …) as it applies them.
  it.each(Object.entries(ALL_DOCUMENTS))('%s is valid against the management API schema and limits', (_name, text) => {
    const errors = validate(schema, parse(text, { maxTokens: DEFAULT_LIMITS.tokens }), [...specifiedRules, ...limitRules()]);
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});
