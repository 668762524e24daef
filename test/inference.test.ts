/**
 * No inference around a class (issue 11): `Person.licences` is unconditional, and a valid
 * marriage certificate exists for exactly the married, so listing it would disclose
 * `Person.maritalStatus` (conditional, granted to mca only) to every department. The row class
 * `Licence[kind=MARRIAGE_CERTIFICATE]` withholds those rows — through the whole platform, with
 * the gateway's check, and with the subgraphs' enforcement alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const MARRIAGE = 'Licence[kind=MARRIAGE_CERTIFICATE]';

for (const staticPolicyCheck of [true, false]) {
  describe(`row class by licence kind (${staticPolicyCheck ? 'gateway check + subgraph' : 'subgraph alone'})`, () => {
    let platform: TestPlatform;
    let person: string;
    let marriageNo: string;

    beforeAll(async () => {
      platform = await startTestPlatform('sqlite', { staticPolicyCheck });
      person = platform.credentials.samples.persons[0]!;
      // The positive control first: mca holds the grant, and sees the certificate.
      const { body } = await platform.query(`{ person(idNumber: "${person}") { maritalStatus licences { licenceNo kind } } }`, { as: { department: 'mca' } });
      expect(body.errors).toBeUndefined();
      expect(body.data.person.maritalStatus).toBe('MARRIED');
      marriageNo = body.data.person.licences.find((l: { kind: string }) => l.kind === 'MARRIAGE_CERTIFICATE')?.licenceNo;
      expect(marriageNo).toBeDefined();
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('gives tax, hrss and samr a married person\'s licences without the marriage certificate, and without a hole', async () => {
      for (const department of ['tax', 'hrss', 'samr']) {
        const { status, body } = await platform.query(
          `{ person(idNumber: "${person}") { name licences { licenceNo kind name holder { ... on Person { idNumber } } } } }`,
          { as: { department } },
        );
        expect(status, department).toBe(200);
        expect(body.errors, department).toBeUndefined();
        const licences = body.data.person.licences as ({ kind: string } | null)[];
        expect(licences.length, department).toBeGreaterThan(0); // the driving licence is still there
        expect(licences.every((l) => l !== null && l.kind !== 'MARRIAGE_CERTIFICATE'), department).toBe(true);
        expect(JSON.stringify(body), department).not.toContain(marriageNo);
        expect(JSON.stringify(body), department).not.toContain('结婚证');
      }
    });

    it('gives mca the marriage certificate (the grant), and not for another purpose', async () => {
      const granted = await platform.query(`{ person(idNumber: "${person}") { licences { licenceNo kind } } }`, { as: { department: 'mca' } });
      expect(granted.body.data.person.licences).toContainEqual({ licenceNo: marriageNo, kind: 'MARRIAGE_CERTIFICATE' });
      const otherPurpose = await platform.query(`{ person(idNumber: "${person}") { licences { licenceNo kind } } }`, { as: { department: 'mca', purpose: 'WORK_REFERENCE' } });
      expect(JSON.stringify(otherPurpose.body)).not.toContain(marriageNo);
    });

    it('refuses the certificate asked for by number: null with one FORBIDDEN error saying how to apply', async () => {
      const { body } = await platform.query(`{ licence(licenceNo: "${marriageNo}") { licenceNo kind holder { ... on Person { idNumber } } } }`, { as: { department: 'tax' } });
      expect(body.data).toEqual({ licence: null });
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({ path: ['licence'], extensions: { code: 'FORBIDDEN', coordinate: MARRIAGE, reason: 'NO_GRANT', provider: 'gsa' } });
      expect(body.errors[0].extensions.howToApply).toMatch(/applyForAccess/);
      expect(JSON.stringify(body)).not.toContain(person);
    });

    it('withholds it on every route to the person: through a legal entity\'s representative and a licence\'s holder', async () => {
      const entity = platform.credentials.samples.legalEntities[0]!;
      const viaEntity = await platform.query(`{ legalEntity(creditCode: "${entity}") { legalRepresentative { idNumber licences { licenceNo kind } } } }`, { as: { department: 'samr' } });
      expect(viaEntity.body.data.legalEntity.legalRepresentative.idNumber).toBe(person);
      const driving = platform.credentials.samples.licences.find((no) => no.startsWith('JSZ'))!;
      const viaHolder = await platform.query(`{ licence(licenceNo: "${driving}") { holder { ... on Person { licences { licenceNo kind } } } } }`, { as: { department: 'hrss' } });
      for (const body of [viaEntity.body, viaHolder.body]) {
        expect(body.errors).toBeUndefined();
        expect(JSON.stringify(body)).not.toContain(marriageNo);
      }
    });
  });
}

describe('row class: the policy is the platform\'s, by coordinate', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('is shown, applied for and overridden like a field', async () => {
    const policy = await platform.admin(`{ fieldPolicy(coordinate: "${MARRIAGE}") { coordinate sharingClass purposes provider } }`);
    expect(policy.body.data.fieldPolicy).toEqual({ coordinate: MARRIAGE, sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], provider: 'gsa' });
    const grants = await platform.admin(`{ grants(coordinate: "${MARRIAGE}") { consumer purpose } }`);
    expect(grants.body.data.grants).toEqual([{ consumer: 'mca', purpose: 'ADMINISTRATIVE_BASIS' }]);

    // The coordinating office closes the row class: even mca, with its grant, no longer sees a certificate.
    const set = await platform.admin(`mutation { setFieldPolicy(coordinate: "${MARRIAGE}", reason: "issue 11 drill", override: true,
      policy: { sharingClass: NOT_SHARED, purposes: [], basis: "《个人信息保护法》第二十八条", caseIdRequired: false }) { policy { coordinate sharingClass } } }`);
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.setFieldPolicy.policy).toEqual({ coordinate: MARRIAGE, sharingClass: 'NOT_SHARED' });
    const person = platform.credentials.samples.persons[0]!;
    const { body } = await platform.query(`{ person(idNumber: "${person}") { licences { kind } } }`, { as: { department: 'mca' } });
    expect(body.data.person.licences.map((l: { kind: string }) => l.kind)).not.toContain('MARRIAGE_CERTIFICATE');
    expect(body.data.person.licences.length).toBeGreaterThan(0);

    // Cleared again, the SDL default (conditional) comes back and mca's grant counts once more.
    const cleared = await platform.admin(`mutation { clearFieldPolicy(coordinate: "${MARRIAGE}", reason: "drill over", override: true) { policy { coordinate sharingClass } } }`);
    expect(cleared.body.errors).toBeUndefined();
    expect(cleared.body.data.clearFieldPolicy.policy).toEqual({ coordinate: MARRIAGE, sharingClass: 'CONDITIONAL' });
    const again = await platform.query(`{ person(idNumber: "${person}") { licences { kind } } }`, { as: { department: 'mca' } });
    expect(again.body.data.person.licences.map((l: { kind: string }) => l.kind)).toContain('MARRIAGE_CERTIFICATE');
  });
});
