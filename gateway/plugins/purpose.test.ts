import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { decodeCaseIdHeader } from './purpose.ts';

/** What Node's HTTP parser hands over for a header sent as raw UTF-8 bytes. */
const asReceived = (value: string) => Buffer.from(value, 'utf8').toString('latin1');

describe('X-Case-Id (matter numbers)', () => {
  it('takes a Chinese matter number sent percent-encoded, as browsers and fetch must send it', () => {
    expect(decodeCaseIdHeader(encodeURIComponent('民〔2026〕17号'))).toBe('民〔2026〕17号');
  });

  it('takes a Chinese matter number sent as raw UTF-8 bytes', () => {
    expect(decodeCaseIdHeader(asReceived('粤民〔2026〕0017号'))).toBe('粤民〔2026〕0017号');
  });

  it('keeps ASCII matter numbers as they are', () => {
    expect(decodeCaseIdHeader('MJ-2026/017')).toBe('MJ-2026/017');
  });

  it.each([
    ['broken percent-encoding', '%E6%B0', /not valid percent-encoded UTF-8/],
    ['Latin-1 bytes that are not UTF-8', 'caf\u00e9', /not UTF-8/],
    ['a character outside the rule', 'MJ-2026;drop', /X-Case-Id must be 1–64 letters/],
    ['too long', 'A'.repeat(65), /X-Case-Id must be 1–64 letters/],
    ['percent-encoded control characters', '%0Aforged', /X-Case-Id must be 1–64 letters/],
  ])('refuses %s with a 400 that says what to send', (_name, raw, message) => {
    let error: unknown;
    try {
      decodeCaseIdHeader(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).message).toMatch(message);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });
});
