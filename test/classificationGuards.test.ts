/**
 * Classification guards (issue 21), through /admin/graphql: a field marked state-secret (涉密)
 * is refused at registration, citing the measures (001 art. 2; 003 Shaoyang art. 2, Hubei
 * art. 3, ××市 art. 17; 002 art. 13–14); a basic item or one tied to licensing (003 Guangdong
 * art. 4) cannot be made conditional or not shared — by the subgraph's declaration, a policy
 * edit, a department's proposal or a reclassification — without the coordinating office's
 * reasoned override, which the audit trail records. Each denial has its positive control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSubgraph } from '../subgraphs/runtime/server.ts';
import { SOCIAL_ASSISTANCE_SDL, startSocialAssistance } from './fixtures/socialAssistance.ts';
import { COMMON_SDL } from '../schema/federation.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';
import { testDialects } from '../storage/testing.ts';

const CHECK = 'query($i: SubgraphInput!) { checkSubgraph(input: $i) { ok classificationErrors } }';
const PUBLISH = 'mutation($i: SubgraphInput!, $r: String!) { publishSubgraph(input: $i, reason: $r) { version { version } } }';
const SET = 'mutation($c: String!, $p: FieldPolicyInput!, $r: String!) { setFieldPolicy(coordinate: $c, policy: $p, reason: $r, override: true) { version policy { sharingClass mandate } } }';
const CLEAR = 'mutation($c: String!, $r: String!) { clearFieldPolicy(coordinate: $c, reason: $r, override: true) { version policy { sharingClass } } }';
const OVERRIDE = 'mutation($c: String!, $r: String!) { overrideItemMandate(coordinate: $c, reason: $r) { id coordinate reason grantedBy withdrawnAt } }';
const WITHDRAW = 'mutation($c: String!, $r: String!) { withdrawItemMandateOverride(coordinate: $c, reason: $r) { id withdrawnAt withdrawalReason } }';
const PROPOSE = 'mutation($c: String!, $p: FieldPolicyInput!, $r: String!) { proposeFieldPolicy(coordinate: $c, policy: $p, reason: $r) { id } }';
const RECLASSIFY = 'mutation($c: String!, $p: FieldPolicyInput!, $r: String!) { proposeReclassification(coordinate: $c, policy: $p, reason: $r) { id } }';
const CONDITIONAL = { sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: '《企业信息公示暂行条例》第六条' };

const code = (r: { body: any }) => r.body.errors?.[0]?.extensions?.code;

/** The fixture's SDL with SocialAssistance.kind declared otherwise. */
function withKind(directive: string): string {
  const own = SOCIAL_ASSISTANCE_SDL.replace('kind: String @sharing(class: "UNCONDITIONAL")', `kind: String ${directive}`);
  if (own === SOCIAL_ASSISTANCE_SDL) throw new Error('fixture changed: SocialAssistance.kind not found');
  return COMMON_SDL + own.replace('EXTRA_FIELDS', '');
}

for (const dialect of testDialects()) {
  describe(`classification guards (${dialect})`, () => {
    let platform: TestPlatform;
    let sixth: RunningSubgraph;
    const version = async () => (await platform.admin('{ policyVersion }')).body.data.policyVersion as number;
    const mca = () => platform.adminToken('mca');

    beforeAll(async () => {
      platform = await startTestPlatform(dialect);
      sixth = await startSocialAssistance(platform.storage, [platform.credentials.samples.persons[0]!]);
    });
    afterAll(async () => {
      await sixth?.close();
      await platform?.stop();
    });

    it('refuses to register a field marked state-secret (涉密), citing the measures; the same subgraph unmarked passes', async () => {
      const secret = withKind('@sharing(class: "NOT_SHARED", basis: "《保守国家秘密法》", stateSecret: true)');
      const checked = await platform.admin(CHECK, { i: { name: 'social-assistance', url: sixth.url, sdl: secret } }, mca());
      expect(checked.body.data.checkSubgraph.ok).toBe(false);
      expect(checked.body.data.checkSubgraph.classificationErrors.join('\n')).toMatch(/SocialAssistance\.kind is marked state-secret \(涉密.*001 art\. 2; 003 Shaoyang art\. 2, Hubei art\. 3, ××市 art\. 17; 002 art\. 13–14/);
      const published = await platform.admin(PUBLISH, { i: { name: 'social-assistance', url: sixth.url, sdl: secret }, r: 'join' }, mca());
      expect(code(published)).toBe('CHECK_FAILED');
      expect((await platform.admin('{ subgraphs { name } }')).body.data.subgraphs.map((s: any) => s.name)).not.toContain('social-assistance');
      // Positive control: marked not secret, it registers.
      const plain = await platform.admin(CHECK, { i: { name: 'social-assistance', url: sixth.url, sdl: withKind('@sharing(class: "UNCONDITIONAL", mandate: "BASIC_ITEM")') } }, mca());
      expect(plain.body.data.checkSubgraph).toEqual({ ok: true, classificationErrors: [] });
    });

    it('refuses a subgraph declaring its basic item conditional until the coordinating office overrides, with a reason', async () => {
      const marked = withKind('@sharing(class: "UNCONDITIONAL", mandate: "BASIC_ITEM")');
      const published = await platform.admin(PUBLISH, { i: { name: 'social-assistance', url: sixth.url, sdl: marked }, r: 'join' }, mca());
      expect(published.body.errors).toBeUndefined();
      const restricted = withKind('@sharing(class: "CONDITIONAL", purposes: ["ADMINISTRATIVE_BASIS"], basis: "《社会救助暂行办法》第六十六条", mandate: "BASIC_ITEM")');
      const refused = await platform.admin(CHECK, { i: { name: 'social-assistance', url: sixth.url, sdl: restricted } }, mca());
      expect(refused.body.data.checkSubgraph.ok).toBe(false);
      expect(refused.body.data.checkSubgraph.classificationErrors.join('\n')).toMatch(/SocialAssistance\.kind is marked 基础信息项.*003 Guangdong art\. 4.*overrideItemMandate/);
      // A department cannot give itself the override.
      expect(code(await platform.admin(OVERRIDE, { c: 'SocialAssistance.kind', r: 'we want to' }, mca()))).toBe('FORBIDDEN');
      const override = await platform.admin(OVERRIDE, { c: 'SocialAssistance.kind', r: '救助类别涉及个人隐私，经协调机构审定按有条件共享' });
      expect(override.body.errors).toBeUndefined();
      expect(override.body.data.overrideItemMandate).toMatchObject({ coordinate: 'SocialAssistance.kind', withdrawnAt: null });
      const allowed = await platform.admin(CHECK, { i: { name: 'social-assistance', url: sixth.url, sdl: restricted } }, mca());
      expect(allowed.body.data.checkSubgraph).toEqual({ ok: true, classificationErrors: [] });
      // Withdrawn (the item is still unconditional in force), the guard applies again.
      expect((await platform.admin(WITHDRAW, { c: 'SocialAssistance.kind', r: '审定撤回' })).body.errors).toBeUndefined();
      expect((await platform.admin(CHECK, { i: { name: 'social-assistance', url: sixth.url, sdl: restricted } }, mca())).body.data.checkSubgraph.ok).toBe(false);
    });

    it('refuses a policy edit that makes a basic item conditional, changing nothing; an unmarked item changes as before', async () => {
      const before = await version();
      const refused = await platform.admin(SET, { c: 'LegalEntity.name', p: CONDITIONAL, r: 'restrict' });
      expect(code(refused)).toBe('CLASSIFICATION_GUARD');
      expect(refused.body.errors[0].extensions.coordinate).toBe('LegalEntity.name');
      expect(refused.body.errors[0].message).toMatch(/LegalEntity\.name is marked 基础信息项.*003 Guangdong art\. 4/);
      expect(await version()).toBe(before);
      const notShared = await platform.admin(SET, { c: 'Licence.status', p: { sharingClass: 'NOT_SHARED', basis: '内部' }, r: 'restrict' });
      expect(code(notShared)).toBe('CLASSIFICATION_GUARD');
      expect(notShared.body.errors[0].message).toMatch(/行政许可相关/);
      // Positive control: an unmarked field of the same entity.
      const unmarked = await platform.admin(SET, { c: 'LegalEntity.kind', p: CONDITIONAL, r: 'restrict' });
      expect(unmarked.body.data.setFieldPolicy.policy.sharingClass).toBe('CONDITIONAL');
      await platform.admin(CLEAR, { c: 'LegalEntity.kind', r: 'undo' });
      // An unconditional edit of the marked item is not refused either.
      expect((await platform.admin(SET, { c: 'LegalEntity.name', p: { sharingClass: 'UNCONDITIONAL' }, r: 'restate' })).body.data.setFieldPolicy.policy).toEqual({ sharingClass: 'UNCONDITIONAL', mandate: 'BASIC_ITEM' });
      await platform.admin(CLEAR, { c: 'LegalEntity.name', r: 'undo' });
    });

    it('refuses the department\'s own proposal and the office\'s reclassification alike', async () => {
      const proposed = await platform.admin(PROPOSE, { c: 'LegalEntity.status', p: CONDITIONAL, r: 'restrict' }, platform.adminToken('samr'));
      expect(code(proposed)).toBe('CLASSIFICATION_GUARD');
      const reclassified = await platform.admin(RECLASSIFY, { c: 'LegalEntity.status', p: CONDITIONAL, r: 'restrict' });
      expect(code(reclassified)).toBe('CLASSIFICATION_GUARD');
      // Positive control: an unmarked field is proposed.
      expect((await platform.admin(PROPOSE, { c: 'LegalEntity.kind', p: CONDITIONAL, r: 'restrict' }, platform.adminToken('samr'))).body.errors).toBeUndefined();
    });

    it('applies an edit under the office\'s override, audited with its reason; the override is withdrawn only once the item is unconditional again', async () => {
      expect(code(await platform.admin(OVERRIDE, { c: 'LegalEntity.kind', r: 'not marked' }))).toBe('BAD_USER_INPUT');
      expect(code(await platform.admin(OVERRIDE, { c: 'LegalEntity.name', r: ' ' }))).toBe('BAD_USER_INPUT');
      const granted = await platform.admin(OVERRIDE, { c: 'LegalEntity.name', r: '个体工商户名称含自然人姓名，经协调机构审定' });
      expect(granted.body.errors).toBeUndefined();
      expect(code(await platform.admin(OVERRIDE, { c: 'LegalEntity.name', r: 'again' }))).toBe('CONFLICT');
      const applied = await platform.admin(SET, { c: 'LegalEntity.name', p: CONDITIONAL, r: 'restrict under override' });
      expect(applied.body.data.setFieldPolicy.policy).toEqual({ sharingClass: 'CONDITIONAL', mandate: 'BASIC_ITEM' });
      const marked = (await platform.admin('{ markedItems { coordinate mandate provider sharingClass override { reason } } }')).body.data.markedItems;
      expect(marked).toContainEqual({ coordinate: 'LegalEntity.name', mandate: 'BASIC_ITEM', provider: 'samr', sharingClass: 'CONDITIONAL', override: { reason: '个体工商户名称含自然人姓名，经协调机构审定' } });
      expect(marked).toContainEqual(expect.objectContaining({ coordinate: 'Licence.status', mandate: 'LICENSING', sharingClass: 'UNCONDITIONAL', override: null }));
      expect(code(await platform.admin(WITHDRAW, { c: 'LegalEntity.name', r: 'done' }))).toBe('CONFLICT');
      await platform.admin(CLEAR, { c: 'LegalEntity.name', r: 'back to the declared class' });
      const withdrawn = await platform.admin(WITHDRAW, { c: 'LegalEntity.name', r: 'done' });
      expect(withdrawn.body.data.withdrawItemMandateOverride.withdrawalReason).toBe('done');
      expect(code(await platform.admin(SET, { c: 'LegalEntity.name', p: CONDITIONAL, r: 'again' }))).toBe('CLASSIFICATION_GUARD');
      const audit = (await platform.admin('{ auditRecords(filter: { kind: "ADMIN" }) { records { json } } }')).body.data.auditRecords.records.map((r: any) => JSON.parse(r.json));
      expect(audit).toContainEqual(expect.objectContaining({ action: 'overrideItemMandate', target: 'LegalEntity.name', reason: '个体工商户名称含自然人姓名，经协调机构审定' }));
      expect(audit).toContainEqual(expect.objectContaining({ action: 'withdrawItemMandateOverride', target: 'LegalEntity.name', reason: 'done' }));
    });

    it('shows the marks in the catalogue', async () => {
      const entries = (await platform.admin('{ catalogue { items { coordinate mandate } } }')).body.data.catalogue;
      const items = entries.flatMap((e: any) => e.items);
      expect(items).toContainEqual({ coordinate: 'LegalEntity.name', mandate: 'BASIC_ITEM' });
      expect(items).toContainEqual({ coordinate: 'Licence.name', mandate: 'LICENSING' });
      expect(items).toContainEqual({ coordinate: 'LegalEntity.kind', mandate: null });
    });
  });
}
