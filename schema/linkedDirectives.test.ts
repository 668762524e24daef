import { describe, expect, it } from 'vitest';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { directiveNames, keyFieldsOf } from './linkedDirectives.ts';

const FED = 'https://specs.apollo.dev/federation/v2.7';

/** The key fields of `Person` in an SDL, as the ownership check and the fields under policy read them. */
function personKeys(sdl: string): string[] {
  const typeDefs = parse(sdl);
  const person = typeDefs.definitions.find((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Person')!;
  return keyFieldsOf(person, directiveNames(typeDefs).names);
}

describe('keyFieldsOf: an entity\'s @key fields, however its @link names @key', () => {
  it('reads a plainly imported @key, and an SDL with no @link at all', () => {
    expect(personKeys(`extend schema @link(url: "${FED}", import: ["@key"])
      type Person @key(fields: "idNumber") { idNumber: ID! name: String }`)).toEqual(['idNumber']);
    expect(personKeys('type Person @key(fields: "idNumber") { idNumber: ID! }')).toEqual(['idNumber']);
  });

  it('reads a renamed import and the namespaced form', () => {
    expect(personKeys(`extend schema @link(url: "${FED}", import: [{ name: "@key", as: "@k" }])
      type Person @k(fields: "idNumber") { idNumber: ID! }`)).toEqual(['idNumber']);
    expect(personKeys(`extend schema @link(url: "${FED}", as: "fed")
      type Person @fed__key(fields: "idNumber") { idNumber: ID! }`)).toEqual(['idNumber']);
  });

  it('takes top-level fields only, each once over several keys', () => {
    expect(personKeys(`extend schema @link(url: "${FED}", import: ["@key"])
      type Person @key(fields: "idNumber household { id }") @key(fields: "idNumber") { idNumber: ID! household: Household id: ID }
      type Household { id: ID! }`)).toEqual(['idNumber', 'household']);
  });
});
