import { describe, expect, it } from 'vitest';
import { SharedRead } from './sharedRead.ts';

/** A store whose reads the test finishes by hand, so that changes can land while one is in flight. */
function slowStore() {
  let value = 1;
  const pending: (() => void)[] = [];
  let reads = 0;
  return {
    set: (v: number) => { value = v; },
    get reads() { return reads; },
    finishAll: () => { while (pending.length) pending.shift()!(); },
    load: () => {
      reads++;
      const seen = value;
      return new Promise<number>((resolve) => pending.push(() => resolve(seen)));
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SharedRead', () => {
  it('a caller who asks while a read is in flight gets a later read that sees the change made meanwhile', async () => {
    const store = slowStore();
    const shared = new SharedRead(store.load);
    const first = shared.read();
    store.set(2); // committed after the first read looked
    const second = shared.read();
    const third = shared.read();
    store.finishAll();
    expect(await first).toBe(1);
    await tick();
    store.finishAll();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    expect(store.reads, 'the two late callers shared one read').toBe(2);
  });

  it('callers asking when nothing is in flight each start a read; a failed read does not block the next', async () => {
    let calls = 0;
    const shared = new SharedRead(async () => {
      if (calls++ === 0) throw new Error('database blip');
      return 'ok';
    });
    const failed = shared.read();
    const after = shared.read();
    await expect(failed).rejects.toThrow('database blip');
    expect(await after).toBe('ok');
    expect(await shared.read()).toBe('ok');
    expect(calls).toBe(3);
  });
});
