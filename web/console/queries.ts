/**
 * Every GraphQL document the console sends to `/admin/graphql`, in one place so that
 * ./queries.test.ts can validate them all against the management API's SDL: a renamed or
 * invented field fails a unit test instead of a user's click.
 */

export const ME = /* GraphQL */ `
  query ConsoleMe {
    me { credentialId kind department name }
    departments { code name nameEn role jurisdiction }
    purposes { code name description }
    policyVersion
  }
`;

export const OVERVIEW_UNREAD = /* GraphQL */ `
  query ConsoleUnread { notifications(unreadOnly: true, limit: 1000) { id } }
`;

export const OVERVIEW_MY_APPLICATIONS = /* GraphQL */ `
  query ConsoleMyApplications { applications(role: CONSUMER) { id status } }
`;

export const OVERVIEW_INBOX = /* GraphQL */ `
  query ConsoleInboxCount { inbox { id dueDate } }
`;

export const OVERVIEW_ESCALATIONS = /* GraphQL */ `
  query ConsoleEscalationCount { escalations { id } }
`;

export const OVERVIEW_SUBGRAPHS = /* GraphQL */ `
  query ConsoleSubgraphHealth { subgraphs { name healthy } }
`;

export const MY_ACCESS = /* GraphQL */ `
  query ConsoleMyAccess($consumer: String) {
    myAccess { coordinate sharingClass provider status readableFor applicableFor basis unclassified caseIdRequired rowCondition }
    grants(consumer: $consumer, includeInactive: true) { id consumer coordinate purpose validFrom validUntil revokedAt active }
    myCatalogue { items { coordinate name nameEn } }
  }
`;

export const MY_CATALOGUE = /* GraphQL */ `
  query ConsoleMyCatalogue {
    myCatalogue {
      code resourceCode name nameEn provider updateCycle read apply notShared own
      freshness { dataLastChanged stale }
      items { coordinate name nameEn sharingClass status readableFor applicableFor basis condition caseIdRequired rowCondition unclassified }
    }
  }
`;

export const CATALOGUE = /* GraphQL */ `
  query ConsoleCatalogue($category: CatalogueCategory, $provider: String) {
    catalogue(category: $category, provider: $provider) {
      code resourceCode name nameEn typeName updateCycleName releaseDate lastUpdated updatePending problems
      classification { category categoryName }
      provider { code name nameEn }
      format { name mediaType }
      sharing { type name condition methods { method name available } }
      freshness { dataLastChanged stale error }
      items { coordinate name nameEn sharingClass purposes condition unclassified }
      openUpdate { id causes reason dueDate dueProblem overdue }
    }
  }
`;

export const APPLICATION_FIELDS = /* GraphQL */ `
  fragment ConsoleApplication on Application {
    id consumer provider applicant purpose justification legalBasis caseRef requestedFrom requestedUntil
    status submittedAt dueDate dueDateProvisional decidedAt decidedBy decisionReason approvedUntil escalatedAt escalationCause
    fields { coordinate sharingClass approved refusal { ground lawName text } contest { status reason decisionReason grantedUntil } }
  }
`;

export const APPLICATIONS = /* GraphQL */ `
  query ConsoleApplications($status: ApplicationStatus, $role: ApplicationRole) {
    applications(status: $status, role: $role) { ...ConsoleApplication }
  }
  ${APPLICATION_FIELDS}
`;

export const APPLICATION = /* GraphQL */ `
  query ConsoleApplication($id: ID!) {
    application(id: $id) {
      ...ConsoleApplication
      events { at actor action fromStatus toStatus reason }
      grants { id coordinate purpose validFrom validUntil revokedAt active }
    }
  }
  ${APPLICATION_FIELDS}
`;

export const INBOX = /* GraphQL */ `
  query ConsoleInbox { inbox { ...ConsoleApplication } }
  ${APPLICATION_FIELDS}
`;

export const ESCALATIONS = /* GraphQL */ `
  query ConsoleEscalations { escalations { ...ConsoleApplication events { at actor action reason } } }
  ${APPLICATION_FIELDS}
`;

export const APPLY = /* GraphQL */ `
  mutation ConsoleApply($input: ApplicationInput!) {
    applyForAccess(input: $input) { id provider status dueDate decisionReason fields { coordinate } }
  }
`;

export const APPROVE = /* GraphQL */ `
  mutation ConsoleApprove($id: ID!, $coordinates: [String!], $validUntil: String, $reason: String, $refusals: [FieldRefusalInput!]) {
    approveApplication(id: $id, coordinates: $coordinates, validUntil: $validUntil, reason: $reason, refusals: $refusals) { id status }
  }
`;

export const REJECT = /* GraphQL */ `
  mutation ConsoleReject($id: ID!, $reason: String!, $refusals: [FieldRefusalInput!]) { rejectApplication(id: $id, reason: $reason, refusals: $refusals) { id status } }
`;

export const WITHDRAW = /* GraphQL */ `
  mutation ConsoleWithdraw($id: ID!, $reason: String) { withdrawApplication(id: $id, reason: $reason) { id status } }
`;

export const CONTEST = /* GraphQL */ `
  mutation ConsoleContest($id: ID!, $reason: String!) { contestApplication(id: $id, reason: $reason) { id status } }
`;

export const ARBITRATE = /* GraphQL */ `
  mutation ConsoleArbitrate($id: ID!, $grant: Boolean!, $reason: String!, $coordinates: [String!], $validUntil: String) {
    arbitrateApplication(id: $id, grant: $grant, reason: $reason, coordinates: $coordinates, validUntil: $validUntil) { id status }
  }
`;

export const CONTEST_FIELD = /* GraphQL */ `
  mutation ConsoleContestField($id: ID!, $coordinate: String!, $reason: String!) {
    contestApplicationField(id: $id, coordinate: $coordinate, reason: $reason) { id status }
  }
`;

export const ARBITRATE_FIELD = /* GraphQL */ `
  mutation ConsoleArbitrateField($id: ID!, $coordinate: String!, $grant: Boolean!, $reason: String!, $validUntil: String) {
    arbitrateApplicationField(id: $id, coordinate: $coordinate, grant: $grant, reason: $reason, validUntil: $validUntil) { id status }
  }
`;

export const NOTIFICATIONS = /* GraphQL */ `
  query ConsoleNotifications($unreadOnly: Boolean) {
    notifications(unreadOnly: $unreadOnly, limit: 200) { id kind applicationId message createdAt readAt params { name value } }
  }
`;

export const MARK_READ = /* GraphQL */ `
  mutation ConsoleMarkRead($ids: [ID!]!) { markNotificationsRead(ids: $ids) }
`;

export const OBJECTIONS = /* GraphQL */ `
  query ConsoleObjections($status: ObjectionStatus) {
    objections(status: $status) {
      id consumer provider raisedBy coordinate entityKey observedValue expectedValue description status
      raisedAt dueDate dueDateProvisional resolvedAt resolvedBy resolutionNote valueBefore valueAfter correctedAt escalatedAt
    }
  }
`;

export const RAISE_OBJECTION = /* GraphQL */ `
  mutation ConsoleRaiseObjection($input: ObjectionInput!) { raiseObjection(input: $input) { id provider dueDate } }
`;

export const RESOLVE_OBJECTION = /* GraphQL */ `
  mutation ConsoleResolveObjection($id: ID!, $resolution: ObjectionResolution!, $note: String!, $valueBefore: String, $valueAfter: String) {
    resolveObjection(id: $id, resolution: $resolution, note: $note, valueBefore: $valueBefore, valueAfter: $valueAfter) { id status }
  }
`;

export const OBJECTION_CORRECTIONS = /* GraphQL */ `
  query ConsoleObjectionCorrections { objectionCorrections { objectionId provider coordinate entityKey valueBefore valueAfter correctedAt note } }
`;

export const ESCALATED_OBJECTIONS = /* GraphQL */ `
  query ConsoleEscalatedObjections { escalatedObjections { id consumer provider coordinate entityKey status raisedAt dueDate escalatedAt } }
`;

export const FIELD_POLICIES = /* GraphQL */ `
  query ConsoleFieldPolicies($provider: String, $sharingClass: SharingClass, $unclassifiedOnly: Boolean) {
    fieldPolicies(provider: $provider, sharingClass: $sharingClass, unclassifiedOnly: $unclassifiedOnly) {
      coordinate sharingClass purposes basis caseIdRequired provider subgraph origin unclassified
      rowCondition { kind attribute }
    }
  }
`;

export const SET_POLICY = /* GraphQL */ `
  mutation ConsoleSetPolicy($coordinate: String!, $policy: FieldPolicyInput!, $reason: String!, $override: Boolean) {
    setFieldPolicy(coordinate: $coordinate, policy: $policy, reason: $reason, override: $override) { version policy { coordinate sharingClass origin } }
  }
`;

export const CLEAR_POLICY = /* GraphQL */ `
  mutation ConsoleClearPolicy($coordinate: String!, $reason: String!, $override: Boolean) {
    clearFieldPolicy(coordinate: $coordinate, reason: $reason, override: $override) { version policy { coordinate sharingClass origin } }
  }
`;

export const PROPOSE_POLICY = /* GraphQL */ `
  mutation ConsoleProposePolicy($coordinate: String!, $policy: FieldPolicyInput!, $reason: String!) {
    proposeFieldPolicy(coordinate: $coordinate, policy: $policy, reason: $reason) { id status }
  }
`;

export const PROPOSALS = /* GraphQL */ `
  query ConsoleProposals($status: ProposalStatus) {
    policyProposals(status: $status) {
      id coordinate proposedBy department reason status createdAt decidedAt decidedBy direction
      proposal { coordinate sharingClass purposes basis caseIdRequired rowCondition { kind attribute } }
    }
  }
`;

export const DECIDE_PROPOSAL = /* GraphQL */ `
  mutation ConsoleDecideProposal($id: ID!, $accept: Boolean!, $reason: String!) {
    decidePolicyProposal(id: $id, accept: $accept, reason: $reason) { id status }
  }
`;

export const POLICY_HISTORY = /* GraphQL */ `
  query ConsolePolicyHistory($limit: Int) {
    policyVersion
    policyHistory(limit: $limit) {
      version kind actor reason createdAt
      overrides { coordinate sharingClass purposes basis caseIdRequired rowCondition { kind attribute } }
      changes { ...ConsolePolicyFieldChange }
    }
  }
  fragment ConsolePolicyFieldChange on PolicyFieldChange {
    coordinate kind attributes provider
    before { sharingClass purposes basis caseIdRequired rowCondition { kind attribute } }
    after { sharingClass purposes basis caseIdRequired rowCondition { kind attribute } }
    sdlDefault { sharingClass purposes basis caseIdRequired rowCondition { kind attribute } }
  }
`;

export const ROLLBACK_POLICY = /* GraphQL */ `
  mutation ConsoleRollbackPolicy($toVersion: Int!, $reason: String!) { rollbackPolicy(toVersion: $toVersion, reason: $reason) { version } }
`;

export const GRANTS = /* GraphQL */ `
  query ConsoleGrants($consumer: String, $includeInactive: Boolean!) {
    grants(consumer: $consumer, includeInactive: $includeInactive) { id consumer coordinate purpose validFrom validUntil revokedAt active }
    fieldPolicies { coordinate provider }
  }
`;

export const REVOKE_GRANT = /* GraphQL */ `
  mutation ConsoleRevokeGrant($id: ID!, $reason: String!) {
    revokeGrant(id: $id, reason: $reason) { id consumer coordinate purpose validFrom validUntil revokedAt active }
  }
`;

export const DEPARTMENT_SETTINGS = /* GraphQL */ `
  query ConsoleDepartmentSettings { departments { code name webhookUrl } }
`;

export const SET_WEBHOOK = /* GraphQL */ `
  mutation ConsoleSetWebhook($url: String, $secret: String) { setWebhook(url: $url, secret: $secret) { code name webhookUrl } }
`;

export const CREDENTIALS = /* GraphQL */ `
  query ConsoleCredentials($department: String) { credentials(department: $department) { id kind name createdAt revokedAt } }
`;

export const CREATE_APP = /* GraphQL */ `
  mutation ConsoleCreateApp($department: String, $name: String!) { createApp(department: $department, name: $name) { id name department token } }
`;

export const REVOKE_CREDENTIAL = /* GraphQL */ `
  mutation ConsoleRevokeCredential($id: ID!) { revokeCredential(id: $id) }
`;

export const AUDIT = /* GraphQL */ `
  query ConsoleAudit($filter: AuditFilter) {
    auditRecords(filter: $filter) { next records { seq kind time department requestId purpose caseId json } }
  }
`;

export const REPORT = /* GraphQL */ `
  query ConsoleReport($department: String, $year: Int!) {
    evaluationReport(department: $department, year: $year) { department year violations { kind detail } advice json csv svg generatedOn partial published publishedAt }
  }
`;

export const EVALUATION_SUMMARY = /* GraphQL */ `
  query ConsoleEvaluationSummary($year: Int!) {
    evaluationSummary(year: $year) {
      year partial published publication { publishedAt reason }
      rows {
        department departmentName fieldsShared fieldsNotShared fieldsUnclassified applicationsReceived applicationsOnTime applicationsLateOrUnanswered
        catalogueUpdatesLate objectionsReceived objectionsResolvedOnTime objectionsInconsistent requestsServed requestsMade violations
      }
    }
  }
`;

export const REPORT_PUBLICATIONS = /* GraphQL */ `
  query ConsoleReportPublications { reportPublications { year publishedAt publishedBy reason departments } }
`;

export const PUBLISH_REPORTS = /* GraphQL */ `
  mutation ConsolePublishReports($year: Int!, $reason: String!) { publishEvaluationReports(year: $year, reason: $reason) { year publishedAt departments } }
`;

export const REGISTRY = /* GraphQL */ `
  query ConsoleRegistry {
    subgraphs { name department url healthy healthSince healthDetail }
    supergraphVersions(limit: 50) { version kind actor reason createdAt subgraphs }
  }
`;

const SUBGRAPH_CHECK_FIELDS = /* GraphQL */ `
  fragment ConsoleSubgraphCheck on SubgraphCheck {
    subgraph ok classificationErrors unclassified
    composition { code message locations { subgraph line column } }
    breakingChanges { kind description coordinate }
    affectedUsage { coordinate consumer operationName requests lastSeen }
  }
`;

export const CHECK_SUBGRAPH = /* GraphQL */ `
  query ConsoleCheckSubgraph($input: SubgraphInput!) { checkSubgraph(input: $input) { ...ConsoleSubgraphCheck } }
  ${SUBGRAPH_CHECK_FIELDS}
`;

export const PUBLISH_SUBGRAPH = /* GraphQL */ `
  mutation ConsolePublishSubgraph($input: SubgraphInput!, $reason: String!, $acceptBreaking: Boolean!) {
    publishSubgraph(input: $input, reason: $reason, acceptBreaking: $acceptBreaking) {
      version { version kind actor reason createdAt subgraphs }
      check { ...ConsoleSubgraphCheck }
    }
  }
  ${SUBGRAPH_CHECK_FIELDS}
`;

export const ROLLBACK_SUPERGRAPH = /* GraphQL */ `
  mutation ConsoleRollbackSupergraph($toVersion: Int!, $reason: String!) {
    rollbackSupergraph(toVersion: $toVersion, reason: $reason) { version kind actor reason createdAt subgraphs }
  }
`;

const CATALOGUE_UPDATE_FIELDS = /* GraphQL */ `
  fragment ConsoleCatalogueUpdate on CatalogueUpdate {
    id entryCode provider causes changedItems reason openedAt openedBy dueDate dueDateProvisional workingDays dueProblem closedAt closedBy resolution overdue
  }
`;

export const CATALOGUE_UPDATES = /* GraphQL */ `
  query ConsoleCatalogueUpdates($includeClosed: Boolean!, $overdueOnly: Boolean!) {
    catalogueUpdates(includeClosed: $includeClosed, overdueOnly: $overdueOnly) { ...ConsoleCatalogueUpdate }
  }
  ${CATALOGUE_UPDATE_FIELDS}
`;

export const PUBLISH_CATALOGUE_ENTRY = /* GraphQL */ `
  mutation ConsolePublishCatalogueEntry($code: String!, $note: String) {
    publishCatalogueEntry(code: $code, note: $note) { code lastUpdated releaseDate updatePending pendingReview { id dueDate } }
  }
`;

export const REPORT_CATALOGUE_CHANGE = /* GraphQL */ `
  mutation ConsoleReportCatalogueChange($code: String!, $cause: CatalogueReportedCause!, $reason: String!) {
    reportCatalogueChange(code: $code, cause: $cause, reason: $reason) { ...ConsoleCatalogueUpdate }
  }
  ${CATALOGUE_UPDATE_FIELDS}
`;

export const RECONCILE_CATALOGUE = /* GraphQL */ `
  mutation ConsoleReconcileCatalogue { reconcileCatalogue { ...ConsoleCatalogueUpdate } }
  ${CATALOGUE_UPDATE_FIELDS}
`;

const PLATFORM_SETTINGS_FIELDS = /* GraphQL */ `
  fragment ConsolePlatformSettings on PlatformSettings {
    version changedAt changedBy reason
    settings { key value unit defaultValue min max name nameEn source sourceEn appliesTo }
    history { version at actor reason changes { key from to } }
  }
`;

/** The deadlines and limits in force, their legal sources and versions (issue 13). */
export const PLATFORM_SETTINGS = /* GraphQL */ `
  query ConsolePlatformSettings { platformSettings { ...ConsolePlatformSettings } }
  ${PLATFORM_SETTINGS_FIELDS}
`;

/** Just the values in force, for the texts of other pages (answer days, longest grant). */
export const PLATFORM_SETTING_VALUES = /* GraphQL */ `
  query ConsolePlatformSettingValues { platformSettings { settings { key value } } }
`;

export const CHANGE_PLATFORM_SETTINGS = /* GraphQL */ `
  mutation ConsoleChangePlatformSettings($changes: [PlatformSettingInput!]!, $reason: String!) {
    changePlatformSettings(changes: $changes, reason: $reason) { ...ConsolePlatformSettings }
  }
  ${PLATFORM_SETTINGS_FIELDS}
`;

export const CALENDAR_WARNING = /* GraphQL */ `
  query ConsoleCalendarWarning { calendarWarning { year message } }
`;

export const CALENDAR_YEARS = /* GraphQL */ `
  query ConsoleCalendarYears { calendarYears { year source holidays { date name } adjustedWorkdays { date name } enteredBy enteredAt reason } }
`;

export const ENTER_CALENDAR_NOTICE = /* GraphQL */ `
  mutation ConsoleEnterCalendarNotice($year: Int!, $h: [CalendarDayInput!]!, $w: [CalendarDayInput!]!, $reason: String!) {
    enterCalendarNotice(year: $year, holidays: $h, adjustedWorkdays: $w, reason: $reason) {
      year { year source holidays { date name } adjustedWorkdays { date name } enteredBy enteredAt reason }
      recomputed { subject id oldDueDate computedDueDate dueDate provisional }
    }
  }
`;

/** All documents, for the schema validation test. */
// The policy workflow (issue 13): the office's proposals to departments, and reverting one change.
const PROPOSAL_FIELDS = 'id coordinate proposedBy department reason status createdAt decidedAt decidedBy direction currentClass contestReason contestedAt contestedBy decisionReason appliedVersion proposal { coordinate sharingClass purposes basis caseIdRequired rowCondition { kind attribute } }';

export const RECLASSIFICATIONS = /* GraphQL */ `
  query ConsoleReclassifications($status: ProposalStatus) {
    reclassifications(status: $status) { ${PROPOSAL_FIELDS} }
  }
`;

export const PROPOSE_RECLASSIFICATION = /* GraphQL */ `
  mutation ConsoleProposeReclassification($coordinate: String!, $policy: FieldPolicyInput!, $reason: String!) {
    proposeReclassification(coordinate: $coordinate, policy: $policy, reason: $reason) { id status department }
  }
`;

export const ACCEPT_RECLASSIFICATION = /* GraphQL */ `
  mutation ConsoleAcceptReclassification($id: ID!, $reason: String) {
    acceptReclassification(id: $id, reason: $reason) { id status appliedVersion }
  }
`;

export const CONTEST_RECLASSIFICATION = /* GraphQL */ `
  mutation ConsoleContestReclassification($id: ID!, $reason: String!) {
    contestReclassification(id: $id, reason: $reason) { id status }
  }
`;

export const REVIEW_RECLASSIFICATION = /* GraphQL */ `
  mutation ConsoleReviewReclassification($id: ID!, $apply: Boolean!, $reason: String!) {
    reviewReclassification(id: $id, apply: $apply, reason: $reason) { id status appliedVersion }
  }
`;

export const REVERT_PREVIEW = /* GraphQL */ `
  query ConsoleRevertPreview($version: Int!, $coordinate: String!) {
    policyRevertPreview(version: $version, coordinate: $coordinate) {
      version coordinate readersSince
      restores { sharingClass purposes basis caseIdRequired rowCondition { kind attribute } }
      current { coordinate sharingClass purposes origin }
      laterChanges { version actor reason createdAt change { kind after { sharingClass purposes } } }
      grants { id consumer purpose validUntil }
      recentReaders { consumer operationName requests lastSeen }
    }
  }
`;

export const REVERT_CHANGE = /* GraphQL */ `
  mutation ConsoleRevertChange($version: Int!, $coordinate: String!, $reason: String!, $confirmLaterChanges: Boolean) {
    revertPolicyChange(version: $version, coordinate: $coordinate, reason: $reason, confirmLaterChanges: $confirmLaterChanges) {
      version policy { coordinate sharingClass origin } laterChanges { version }
    }
  }
`;

// --- members (issue 14): departments, purposes, people ------------------------------------------

export const MEMBERS = /* GraphQL */ `
  query ConsoleMembers($department: String) {
    departments { code name nameEn role provider consumer jurisdiction deactivatedAt deactivationReason }
    purposes { code name nameEn legalBasis deactivatedAt deactivationReason }
    people(department: $department) { id department name roles effectiveRoles createdAt deactivatedAt deactivationReason }
  }
`;

export const ADD_DEPARTMENT = /* GraphQL */ `
  mutation ConsoleAddDepartment($input: DepartmentInput!, $reason: String!) { addDepartment(input: $input, reason: $reason) { code } }
`;

export const DEACTIVATE_DEPARTMENT = /* GraphQL */ `
  mutation ConsoleDeactivateDepartment($department: String!, $reason: String!) { deactivateDepartment(department: $department, reason: $reason) { code deactivatedAt } }
`;

export const ADD_PURPOSE = /* GraphQL */ `
  mutation ConsoleAddPurpose($input: PurposeInput!, $reason: String!) { addPurpose(input: $input, reason: $reason) { code } }
`;

export const DEACTIVATE_PURPOSE = /* GraphQL */ `
  mutation ConsoleDeactivatePurpose($purpose: String!, $reason: String!) { deactivatePurpose(purpose: $purpose, reason: $reason) { code deactivatedAt } }
`;

export const ADD_PERSON = /* GraphQL */ `
  mutation ConsoleAddPerson($input: PersonInput!, $reason: String!) { addPerson(input: $input, reason: $reason) { id } }
`;

export const DEACTIVATE_PERSON = /* GraphQL */ `
  mutation ConsoleDeactivatePerson($personId: ID!, $reason: String!) { deactivatePerson(personId: $personId, reason: $reason) { person { id } draftsTo { name } transferredApplications transferredProposals } }
`;

export const ALL_DOCUMENTS: Readonly<Record<string, string>> = {
  MEMBERS, ADD_DEPARTMENT, DEACTIVATE_DEPARTMENT, ADD_PURPOSE, DEACTIVATE_PURPOSE, ADD_PERSON, DEACTIVATE_PERSON,
  ME, OVERVIEW_UNREAD, OVERVIEW_MY_APPLICATIONS, OVERVIEW_INBOX, OVERVIEW_ESCALATIONS, OVERVIEW_SUBGRAPHS,
  MY_ACCESS, MY_CATALOGUE, CATALOGUE, APPLICATIONS, APPLICATION, INBOX, ESCALATIONS, APPLY, APPROVE, REJECT,
  WITHDRAW, CONTEST, ARBITRATE, NOTIFICATIONS, MARK_READ, OBJECTIONS, RAISE_OBJECTION, RESOLVE_OBJECTION,
  FIELD_POLICIES, SET_POLICY, CLEAR_POLICY, PROPOSE_POLICY, PROPOSALS, DECIDE_PROPOSAL, POLICY_HISTORY,
  CREDENTIALS, CREATE_APP, REVOKE_CREDENTIAL, AUDIT, REPORT, REGISTRY,
  ROLLBACK_POLICY, GRANTS, REVOKE_GRANT, DEPARTMENT_SETTINGS, SET_WEBHOOK, CHECK_SUBGRAPH, PUBLISH_SUBGRAPH, ROLLBACK_SUPERGRAPH,
  CATALOGUE_UPDATES, PUBLISH_CATALOGUE_ENTRY, REPORT_CATALOGUE_CHANGE, RECONCILE_CATALOGUE,
  OBJECTION_CORRECTIONS, ESCALATED_OBJECTIONS, EVALUATION_SUMMARY, REPORT_PUBLICATIONS, PUBLISH_REPORTS,
  PLATFORM_SETTINGS, PLATFORM_SETTING_VALUES, CHANGE_PLATFORM_SETTINGS,
  CALENDAR_WARNING, CALENDAR_YEARS, ENTER_CALENDAR_NOTICE,
  RECLASSIFICATIONS, PROPOSE_RECLASSIFICATION, ACCEPT_RECLASSIFICATION, CONTEST_RECLASSIFICATION, REVIEW_RECLASSIFICATION, REVERT_PREVIEW, REVERT_CHANGE,
  CONTEST_FIELD, ARBITRATE_FIELD,
};
