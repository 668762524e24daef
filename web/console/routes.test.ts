import { describe, expect, it } from 'vitest';
import { hrefOf, parseHash, sectionsFor } from './routes.ts';

describe('console routes', () => {
  it('parses sections, parameters and queries', () => {
    expect(parseHash('')).toEqual({ section: 'overview', params: [], query: {} });
    expect(parseHash('#/inbox')).toEqual({ section: 'inbox', params: [], query: {} });
    expect(parseHash('#/applications/app-20261122-1a2b')).toMatchObject({ section: 'applications', params: ['app-20261122-1a2b'] });
    expect(parseHash('#/apply?coordinates=Person.deathDate&purpose=DATA_VERIFICATION').query)
      .toEqual({ coordinates: 'Person.deathDate', purpose: 'DATA_VERIFICATION' });
    expect(parseHash('#/nowhere').section).toBeNull();
    expect(parseHash('#/applications/%E0%A4%A').params).toEqual(['%E0%A4%A']);
  });

  it('round-trips hrefOf through parseHash', () => {
    const href = hrefOf('apply', [], { coordinates: 'Person.householdAddress,Person.deathDate', purpose: 'ADMINISTRATIVE_BASIS', empty: '' });
    expect(href).not.toContain('empty');
    expect(parseHash(href)).toEqual({ section: 'apply', params: [], query: { coordinates: 'Person.householdAddress,Person.deathDate', purpose: 'ADMINISTRATIVE_BASIS' } });
    expect(parseHash(hrefOf('applications', ['a/b'])).params).toEqual(['a/b']);
  });

  it('lists the sections that fit each kind of principal', () => {
    const ids = (kind: 'APP' | 'DEPARTMENT_ADMIN' | 'PLATFORM_ADMIN', departmentRole?: string) => sectionsFor({ kind, departmentRole }).map((s) => s.id);
    // Every principal reads the deadlines in force (issue 13).
    expect(ids('APP', 'CONSUMER')).toEqual(['overview', 'access', 'catalogue', 'apply', 'applications', 'notifications', 'objections', 'deadlines', 'calendar']);
    const consumerAdmin = ids('DEPARTMENT_ADMIN', 'CONSUMER');
    expect(consumerAdmin).toContain('apps');
    expect(consumerAdmin).toContain('audit');
    expect(consumerAdmin).not.toContain('inbox');
    expect(consumerAdmin).not.toContain('policies');
    // Any department may register a subgraph of its own and set its webhook; grants concern consumers and providers alike.
    expect(consumerAdmin).toEqual(expect.arrayContaining(['registry', 'grants', 'settings']));
    expect(consumerAdmin).not.toContain('history');
    const providerAdmin = ids('DEPARTMENT_ADMIN', 'PROVIDER');
    expect(providerAdmin).toEqual(expect.arrayContaining(['inbox', 'policies', 'proposals', 'apps', 'audit', 'reports']));
    expect(providerAdmin).not.toContain('escalations');
    const platform = ids('PLATFORM_ADMIN', 'COORDINATOR');
    expect(platform).toEqual(expect.arrayContaining(['escalations', 'policies', 'proposals', 'history', 'registry', 'audit', 'reports', 'apps', 'grants', 'settings']));
    // The coordinating office arbitrates; it does not apply for access itself.
    expect(platform).not.toContain('apply');
    expect(platform).not.toContain('access');
  });
});
