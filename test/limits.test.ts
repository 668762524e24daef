/** Operation limits: each refused with a clear LIMIT_EXCEEDED error, each paired with an operation just inside the limit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../lib/operationLimits/operationLimits.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe('operation limits', () => {
  let platform: TestPlatform;
  let id: string;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    id = platform.credentials.samples.persons[0]!;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  /** person → household → members → person → household → … : `levels` fields deep. */
  const deep = (levels: number) => {
    let inner = 'name';
    let depth = 2; // person { name }
    const hops = ['household { members { person {', '} } }'];
    let open = '';
    let close = '';
    while (depth + 3 <= levels) {
      open += hops[0];
      close = hops[1] + close;
      depth += 3;
    }
    return { source: `{ person(idNumber: "${id}") { ${open} ${inner} ${close} } }`, depth };
  };

  it('refuses an operation nested deeper than the limit', async () => {
    const inside = deep(DEFAULT_LIMITS.depth);
    expect(inside.depth).toBeLessThanOrEqual(DEFAULT_LIMITS.depth);
    const ok = await platform.query(inside.source, { as: { department: 'psb' } });
    expect(ok.body.errors).toBeUndefined();
    const tooDeep = await platform.query(`{ person(idNumber: "${id}") { household { members { person { ${deep(DEFAULT_LIMITS.depth).source.slice(`{ person(idNumber: "${id}") {`.length, -4)} } } } } }`, { as: { department: 'psb' } });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
    expect(tooDeep.body.errors[0].message).toMatch(/levels deep/);
  });

  it('refuses too many aliases and too many root fields', async () => {
    const aliased = (n: number) => `{ person(idNumber: "${id}") { ${Array.from({ length: n }, (_, i) => `a${i}: name`).join(' ')} } }`;
    expect((await platform.query(aliased(DEFAULT_LIMITS.aliases))).body.errors).toBeUndefined();
    const many = await platform.query(aliased(DEFAULT_LIMITS.aliases + 1));
    expect(many.status).toBe(400);
    expect(many.body.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
    // Aliased root fields count against both limits: stay inside the alias limit here.
    const roots = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `p${i}: person(idNumber: "${id}") { name }`).join(' ')} }`;
    expect((await platform.query(roots(DEFAULT_LIMITS.rootFields))).body.errors).toBeUndefined();
    const tooMany = await platform.query(roots(DEFAULT_LIMITS.rootFields + 1));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].message).toMatch(/root fields/);
  });

  it('refuses a document with too many tokens and a body over the size limit', async () => {
    const padded = `{ person(idNumber: "${id}") { name ${'__typename '.repeat(DEFAULT_LIMITS.tokens)} } }`;
    const tokens = await platform.query(padded);
    expect(tokens.status).toBe(400);
    expect(tokens.body.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
    const huge = await platform.query(`{ person(idNumber: "${id}") { name } } # ${'x'.repeat(DEFAULT_LIMITS.bodyBytes)}`);
    expect(huge.status).toBe(413);
    expect(huge.body.errors[0].message).toMatch(/exceeds the limit/);
  });

  describe('on the management API (any token reaches it)', () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: fieldPolicies { coordinate }`).join(' ')} }`;

    it('refuses 2,000 aliases of fieldPolicies (once a 19 MB answer) and answers a normal query', async () => {
      const bomb = await platform.admin(aliased(2000));
      expect(bomb.status).toBe(400);
      expect(bomb.body.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
      expect(bomb.body.data).toBeUndefined();
      const ok = await platform.admin('{ me { department kind } policyVersion fieldPolicies { coordinate sharingClass } }');
      expect(ok.body.errors).toBeUndefined();
      expect(ok.status).toBe(200);
      expect(ok.body.data.fieldPolicies.length).toBeGreaterThan(0);
    });

    it('applies each limit: aliases, root fields, tokens', async () => {
      // Aliased root fields count against the root-field limit too: alias below the root.
      const inside = (n: number) => `{ fieldPolicies { ${Array.from({ length: n }, (_, i) => `c${i}: coordinate`).join(' ')} } }`;
      expect((await platform.admin(inside(DEFAULT_LIMITS.aliases))).body.errors).toBeUndefined();
      const over = await platform.admin(inside(DEFAULT_LIMITS.aliases + 1));
      expect(over.status).toBe(400);
      expect(over.body.errors.map((e: any) => e.extensions)).toContainEqual(expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit: 'aliases' }));
      const roots = await platform.admin(`{ ${Array.from({ length: DEFAULT_LIMITS.rootFields + 1 }, (_, i) => `r${i}: policyVersion`).join(' ')} }`);
      expect(roots.status).toBe(400);
      expect(roots.body.errors[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'rootFields' });
      const tokens = await platform.admin(`{ policyVersion ${'__typename '.repeat(DEFAULT_LIMITS.tokens)} }`);
      expect(tokens.status).toBe(400);
      expect(tokens.body.errors[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'tokens' });
    });
  });
});
