import { describe, expect, it } from 'vitest';
import { createLogger, maskSensitiveText, levelFrom, loggerOver } from './logger.ts';

function capture(level: 'info' | 'debug' = 'info') {
  const lines: Record<string, any>[] = [];
  const logger = createLogger({ level, destination: { write: (s: string) => { lines.push(JSON.parse(s)); } } });
  return { logger, lines };
}

const ID = '11010119900307123X';
const TOKEN = 'gga_Q2hhbmdlIG1lIHBsZWFzZSwgSSBhbSBhIHRva2VuIQ';

describe('lib/logger.ts', () => {
  it('writes JSON lines with time, level, message and the fields given', () => {
    const { logger, lines } = capture();
    logger.info({ requestId: 'r-1', traceId: 'abc', consumer: { department: 'mca', app: 'app-1' }, outcome: 'answered' }, 'graphql request');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'graphql request', requestId: 'r-1', traceId: 'abc', consumer: { department: 'mca', app: 'app-1' }, outcome: 'answered' });
    expect(Date.parse(lines[0]!.time)).not.toBeNaN();
  });

  it('censors known fields (headers, tokens, passwords, TOTP secrets, id numbers), one and two levels down', () => {
    const { logger, lines } = capture();
    logger.info({ headers: { authorization: `Bearer ${TOKEN}`, cookie: 'gg_session=abc' }, body: { password: 'hunter2', totpSecret: 'JBSWY3DPEHPK3PXP', idNumber: ID }, token: TOKEN }, 'sign-in');
    const line = JSON.stringify(lines[0]);
    for (const secret of [TOKEN, 'gg_session=abc', 'hunter2', 'JBSWY3DPEHPK3PXP', ID]) expect(line).not.toContain(secret);
    expect(lines[0]!.body.password).toBe('[redacted]');
  });

  it('masks ids, phone numbers and tokens in messages, interpolated values and any string field', () => {
    const { logger, lines } = capture();
    logger.info(`person ${ID} asked by ${TOKEN}`);
    logger.warn({ note: `call 13912345678 about ${ID}` }, 'value %s', ID);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(ID);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('13912345678');
    expect(lines[0]!.msg).toBe('person [id-number] asked by [token]');
  });

  it('logs an unexpected error as its class, message and stack, masked (the cause too)', () => {
    const { logger, lines } = capture();
    const error = new RangeError(`risk_rules r1: level must be one of LOW, MEDIUM, HIGH, the table holds "${ID}"`, { cause: new Error(`Bearer ${TOKEN}`) });
    logger.error({ err: error }, 'incident');
    const { err } = lines[0]!;
    expect(err.type).toBe('RangeError');
    expect(err.message).toContain('[id-number]');
    expect(err.stack).toMatch(/^RangeError: risk_rules r1: .*\[id-number\]/);
    expect(err.cause.message).toBe('Bearer [redacted]');
    expect(JSON.stringify(lines)).not.toContain(ID);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('leaves numbers that are not ids alone (longer, shorter, or part of a word)', () => {
    expect(maskSensitiveText('hash 1101011990030712345 ts 1733400000000 code 91110000600037341L')).toBe('hash 1101011990030712345 ts 1733400000000 code 91110000600037341L');
    expect(maskSensitiveText(`(${ID})`)).toBe('([id-number])');
  });

  it('LOG_LEVEL: a known level or a clear error', () => {
    expect(levelFrom(undefined)).toBe('info');
    expect(levelFrom('debug')).toBe('debug');
    expect(() => levelFrom('verbose')).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, received "verbose"/);
    const { logger, lines } = capture('info');
    logger.debug('not written');
    expect(lines).toHaveLength(0);
  });

  it('loggerOver sends each JSON line to a callback (tests keep quiet with () => {})', () => {
    const got: string[] = [];
    loggerOver((line) => got.push(line)).info({ idNumber: ID }, 'x');
    expect(got).toHaveLength(1);
    expect(got[0]).not.toContain(ID);
  });
});
