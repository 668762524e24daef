import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSchema, parse, validate } from 'graphql';
import { catalogueTypeDefs } from '../../catalogue/admin.ts';
import { ALL_DOCUMENTS } from './queries.ts';

// The same SDL the admin server is made from (gateway/admin/adminServer.ts), so a document
// valid here is valid against /admin/graphql.
const schema = buildSchema(`${readFileSync(new URL('../admin/schema.graphql', import.meta.url), 'utf8')}\n${catalogueTypeDefs}`);

describe('console GraphQL documents', () => {
  it.each(Object.entries(ALL_DOCUMENTS))('%s is valid against the management API schema', (_name, text) => {
    const errors = validate(schema, parse(text));
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});
