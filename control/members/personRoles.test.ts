/**
 * The role table names real mutations: a misspelt name would leave a decision at the default
 * (ADMINISTRATOR) and let an administrator who is not an approver decide.
 */
import { describe, expect, it } from 'vitest';
import { buildASTSchema } from 'graphql';
import { mergeTypeDefs } from '@graphql-tools/merge';
import { adminTypeDefs } from '../admin/adminServer.ts';
import { CASE_DRAFTERS, MUTATION_ROLES, requirementOf } from './personRoles.ts';

const mutations = Object.keys(buildASTSchema(mergeTypeDefs(adminTypeDefs())).getMutationType()!.getFields());

describe('person roles', () => {
  it('names only mutations of the management API', () => {
    expect(Object.keys(MUTATION_ROLES).filter((m) => !mutations.includes(m))).toEqual([]);
    expect(Object.keys(CASE_DRAFTERS).filter((m) => !mutations.includes(m))).toEqual([]);
  });

  it('needs the approver role for every decision on a case, and the administrator role by default', () => {
    for (const decision of Object.keys(CASE_DRAFTERS)) expect(requirementOf(decision)).toEqual(['APPROVER']);
    expect(requirementOf('createApp')).toEqual(['ADMINISTRATOR']);
    expect(requirementOf('addPerson')).toEqual(['ADMINISTRATOR']);
    expect(requirementOf('applyForAccess')).toEqual(['DRAFTER']);
    expect(requirementOf('a mutation added later')).toEqual(['ADMINISTRATOR']);
  });
});
