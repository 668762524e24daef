/**
 * Schema owners (R8) are kept by each replica between reads and read again when the policy
 * version moved (control/registry/subgraphRegistry.ts, owners()): a second replica over the same
 * store must see a transfer made through the first on its next read, on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubgraphRegistry } from '../control/registry/subgraphRegistry.ts';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe.each(testDialects())('schema owners across replicas (%s)', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('another replica keeps its owners between reads and sees a transfer on its next read', async () => {
    // A second replica over the same store (as a second gateway process would be).
    const replica = new SubgraphRegistry(platform.store);
    await replica.sync();
    const seen = await replica.owners();
    expect(seen.get('Person.ethnicity')!.department).toBe('psb');
    expect(await replica.owners(), 'no change since: the owners read before are kept').toBe(seen);
    const moved = await platform.admin('mutation { transferOwnership(element: "Person.ethnicity", toDepartment: "mca", reason: "复制节点可见性测试") { department } }');
    expect(moved.body.errors).toBeUndefined();
    expect(moved.body.data.transferOwnership.department).toBe('mca');
    expect((await replica.owners()).get('Person.ethnicity')!.department).toBe('mca');
    // The transfer and its policy version commit together: the provider follows on this replica too.
    expect((await platform.admin('query($c: String!) { fieldPolicy(coordinate: $c) { provider } }', { c: 'Person.ethnicity' })).body.data.fieldPolicy.provider).toBe('mca');
    const back = await platform.admin('mutation { transferOwnership(element: "Person.ethnicity", toDepartment: "psb", reason: "测试结束") { department } }');
    expect(back.body.data.transferOwnership.department).toBe('psb');
    expect((await replica.owners()).get('Person.ethnicity')!.department).toBe('psb');
  });
});
