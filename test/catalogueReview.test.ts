/**
 * Catalogue review and filing (issue 21; 001 art. 9–10; 002 art. 10; 000 art. 9) on both stores:
 * the first edition at platform start is on file; a provider's change waits for the
 * coordinating office's review, which returns it with reasons or files (备案) and publishes it;
 * another department neither submits for an entry not its own nor reviews; a review left past
 * its due date is counted late in the office's evaluation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';
import { testDialects } from '../storage/testing.ts';
import type { Identity } from '../control/store/platformStore.ts';

const code = (r: { body: any }) => r.body.errors?.[0]?.extensions?.code;
const DAY = 86_400_000;
const REVIEW = 'id entryCode provider status dueDate workingDays reasons late submittedPerson { name } decidedPerson { name }';
const SUBMIT = `mutation($c: String!, $n: String) { submitCatalogueChange(code: $c, note: $n) { ${REVIEW} } }`;
const approver: Identity = { credentialId: 'session-dgo-approver', kind: 'PLATFORM_ADMIN', department: 'dgo', name: '吴审批', person: { id: 'person-demo-dgo-approver', name: '吴审批', roles: ['APPROVER'] } };
const drafter: Identity = { credentialId: 'session-psb-drafter', kind: 'DEPARTMENT_ADMIN', department: 'psb', name: '王经办', person: { id: 'person-demo-psb-drafter', name: '王经办', roles: ['DRAFTER'] } };

for (const dialect of testDialects()) {
  describe(`catalogue review and filing (${dialect})`, () => {
    let platform: TestPlatform;
    let offset = 0;
    beforeAll(async () => {
      platform = await startTestPlatform(dialect, { clock: () => new Date(Date.now() + offset) });
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('keeps the first edition on file, and files a provider\'s change only on the coordinating office\'s approval', async () => {
      const entry = (await platform.admin('{ catalogueEntry(code: "PSB-POP-001") { lastUpdated filing { status submittedBy } pendingReview { id } } }')).body.data.catalogueEntry;
      expect(entry.filing).toEqual({ status: 'FILED', submittedBy: 'system:catalogue:first-edition' });
      expect(entry.pendingReview).toBeNull();

      // Denial: samr may not submit psb's entry; positive control: psb's drafter does.
      expect(code(await platform.admin(SUBMIT, { c: 'PSB-POP-001' }, platform.adminToken('samr')))).toBe('FORBIDDEN');
      const submitted = await platform.adminAs(drafter, SUBMIT, { c: 'PSB-POP-001', n: '补充信息项说明' });
      expect(submitted.body.errors).toBeUndefined();
      const review = submitted.body.data.submitCatalogueChange;
      expect(review).toMatchObject({ entryCode: 'PSB-POP-001', provider: 'psb', status: 'PENDING', workingDays: 10, late: false, submittedPerson: { name: '王经办' } });
      // Not published yet: the entry's last update stands.
      expect((await platform.admin('{ catalogueEntry(code: "PSB-POP-001") { lastUpdated pendingReview { id } } }')).body.data.catalogueEntry).toEqual({ lastUpdated: entry.lastUpdated, pendingReview: { id: review.id } });
      expect((await platform.admin('{ notifications(unreadOnly: true) { kind } }')).body.data.notifications.map((n: any) => n.kind)).toContain('CATALOGUE_REVIEW_SUBMITTED');

      // Another department neither sees psb's reviews nor decides them.
      const samrSees = (await platform.admin('{ catalogueReviews { provider } }', {}, platform.adminToken('samr'))).body.data.catalogueReviews;
      expect(samrSees.length).toBeGreaterThan(0);
      expect(samrSees.every((r: any) => r.provider === 'samr')).toBe(true);
      expect(code(await platform.admin('{ catalogueReviews(provider: "psb") { id } }', {}, platform.adminToken('samr')))).toBe('FORBIDDEN');
      expect(code(await platform.admin('mutation($id: ID!) { fileCatalogueChange(id: $id) { id } }', { id: review.id }, platform.adminToken('psb')))).toBe('FORBIDDEN');
      expect((await platform.admin('{ catalogueReviews { id } }', {}, platform.adminToken('psb'))).body.data.catalogueReviews.map((r: any) => r.id)).toContain(review.id);

      // Returned with reasons (a blank reason changes nothing).
      expect(code(await platform.admin('mutation($id: ID!) { returnCatalogueChange(id: $id, reasons: " ") { id } }', { id: review.id }))).toBe('BAD_USER_INPUT');
      const returned = await platform.adminAs(approver, `mutation($id: ID!) { returnCatalogueChange(id: $id, reasons: "信息项名称不规范") { ${REVIEW} } }`, { id: review.id });
      expect(returned.body.data.returnCatalogueChange).toMatchObject({ status: 'RETURNED', reasons: '信息项名称不规范', decidedPerson: { name: '吴审批' } });
      expect((await platform.admin('{ notifications(unreadOnly: true) { kind } }', {}, platform.adminToken('psb'))).body.data.notifications.map((n: any) => n.kind)).toContain('CATALOGUE_REVIEW_RETURNED');
      expect(code(await platform.admin('mutation($id: ID!) { fileCatalogueChange(id: $id) { id } }', { id: review.id }))).toBe('CONFLICT');

      // Submitted again and filed: on file and published.
      offset = 60_000;
      const again = (await platform.admin(SUBMIT, { c: 'PSB-POP-001' }, platform.adminToken('psb'))).body.data.submitCatalogueChange;
      const filed = await platform.adminAs(approver, `mutation($id: ID!) { fileCatalogueChange(id: $id, note: "审核通过") { ${REVIEW} } }`, { id: again.id });
      expect(filed.body.data.fileCatalogueChange).toMatchObject({ status: 'FILED', decidedPerson: { name: '吴审批' }, late: false });
      const after = (await platform.admin('{ catalogueEntry(code: "PSB-POP-001") { lastUpdated filing { id } pendingReview { id } } }')).body.data.catalogueEntry;
      expect(after.filing.id).toBe(again.id);
      expect(after.pendingReview).toBeNull();
      expect(after.lastUpdated > entry.lastUpdated).toBe(true);
    });

    it('counts a review left past its due date late in the coordinating office\'s evaluation, not the provider\'s', async () => {
      const review = (await platform.admin(SUBMIT, { c: 'PSB-POP-001' }, platform.adminToken('psb'))).body.data.submitCatalogueChange;
      const year = Number(review.dueDate.slice(0, 4));
      offset = 40 * DAY;
      expect((await platform.admin('{ catalogueReviews(lateOnly: true) { id late } }')).body.data.catalogueReviews).toEqual([{ id: review.id, late: true }]);
      const rows = (await platform.admin('query($y: Int!) { evaluationSummary(year: $y) { rows { department catalogueReviewsLate violations } } }', { y: year })).body.data.evaluationSummary.rows;
      expect(rows.find((r: any) => r.department === 'dgo')).toMatchObject({ catalogueReviewsLate: 1, violations: expect.arrayContaining(['CATALOGUE_REVIEW_LATE']) });
      expect(rows.find((r: any) => r.department === 'psb')).toMatchObject({ catalogueReviewsLate: 0 });
    });
  });
}
