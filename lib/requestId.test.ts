import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from './requestId.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids (UUID version 7)', () => {
  it('are RFC 9562 version 7 UUIDs carrying the millisecond they were made', () => {
    const at = Date.UTC(2026, 10, 22, 4, 0, 0, 123);
    const id = timeOrderedUuid(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sort by time, and do not repeat', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => timeOrderedUuid(1_700_000_000_000 + i * 7));
    expect([...ids].sort()).toEqual(ids);
    const many = new Set(Array.from({ length: 100_000 }, () => timeOrderedUuid(1_800_000_000_000)));
    expect(many.size).toBe(100_000);
  });
});
