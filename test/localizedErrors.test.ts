/**
 * API errors follow Accept-Language (English when none is sent, Chinese for zh*), codes
 * unchanged; a purpose declared by its Chinese name, sent as raw UTF-8 bytes as curl sends
 * it, is accepted (R6). Real HTTP against a started platform.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';

/** A POST with header values written byte for byte (Node writes header strings as Latin-1). */
function rawPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    // A Buffer, not a string: Node writes the head together with a string body in the body's encoding (UTF-8).
    req.end(Buffer.from(body, 'utf8'));
  });
}

const utf8Bytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('errors in the receiver\'s language', () => {
  let platform: TestPlatform;
  let person: string;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    person = platform.credentials.samples.persons[0]!;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('says a missing token and a missing purpose in Chinese for zh-CN, in English without Accept-Language, with the same codes', async () => {
    const noTokenZh = await platform.query('{ __typename }', { as: null, headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    expect(noTokenZh.status).toBe(401);
    expect(noTokenZh.body.errors[0]).toEqual({ message: expect.stringContaining('请以 "Authorization: Bearer <令牌>" 发送应用令牌'), extensions: { code: 'UNAUTHENTICATED' } });
    const noTokenEn = await platform.query('{ __typename }', { as: null });
    expect(noTokenEn.body.errors[0]).toEqual({ message: expect.stringContaining('send your app token as "Authorization: Bearer <token>"'), extensions: { code: 'UNAUTHENTICATED' } });

    const query = `{ person(idNumber: "${person}") { name } }`;
    const noPurposeZh = await platform.query(query, { as: { department: 'mca', purpose: null }, headers: { 'accept-language': 'zh-CN' } });
    expect(noPurposeZh.status).toBe(400);
    expect(noPurposeZh.body.errors[0].message).toMatch(/^请在 X-Purpose 请求头中声明使用用途.*ADMINISTRATIVE_BASIS \(行政依据\)/);
    expect(noPurposeZh.body.errors[0].extensions).toEqual({ code: 'PURPOSE_REQUIRED' });
    const noPurposeEn = await platform.query(query, { as: { department: 'mca', purpose: null }, headers: { 'accept-language': 'fr-FR' } });
    expect(noPurposeEn.body.errors[0].message).toMatch(/^declare the purpose of use in the X-Purpose header/);
    expect(noPurposeEn.body.errors[0].extensions).toEqual({ code: 'PURPOSE_REQUIRED' });
  });

  it('accepts 行政依据 sent as UTF-8 bytes, names an unknown Chinese purpose without mojibake, and says a denied field in Chinese', async () => {
    const token = platform.appToken('mca');
    const body = JSON.stringify({ query: `{ person(idNumber: "${person}") { name } }` });
    const byName = await rawPost(platform.gateway.url, { authorization: `Bearer ${token}`, 'x-purpose': utf8Bytes('行政依据') }, body);
    expect(byName.status, JSON.stringify(byName.body)).toBe(200);
    expect(byName.body.data.person.name).toBeTruthy();
    const unknown = await rawPost(platform.gateway.url, { authorization: `Bearer ${token}`, 'x-purpose': utf8Bytes('随便看看'), 'accept-language': 'en' }, body);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].message).toContain('X-Purpose "随便看看" is not a registered purpose');
    expect(unknown.body.errors[0].message).not.toContain('è');

    const denied = await platform.query(`{ person(idNumber: "${person}") { name biometricTemplate } }`, { headers: { 'accept-language': 'zh-CN' } });
    const error = denied.body.errors.find((e: any) => e.extensions.coordinate === 'Person.biometricTemplate');
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_SHARED', sharingClass: 'NOT_SHARED' });
    expect(error.message.startsWith('无权读取 Person.biometricTemplate(不予共享')).toBe(true);
    expect(error.extensions.i18n).toBeUndefined();
    const deniedEn = await platform.query(`{ person(idNumber: "${person}") { name biometricTemplate } }`);
    expect(deniedEn.body.errors.find((e: any) => e.extensions.coordinate === 'Person.biometricTemplate').message).not.toContain('无权读取');
  });
});
