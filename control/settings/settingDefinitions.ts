/**
 * The deadlines and limits the platform applies, as settings the coordinating office may change
 * (issue 13): each with its default, unit, legal source and the range a value must lie in.
 *
 * Glossary:
 * - setting: one named whole number (APPLICATION_ANSWER_WORKING_DAYS…); its unit is working
 *   days (China's calendar: weekends, statutory holidays and adjusted working days counted) or
 *   calendar days.
 * - settings version: every change makes a new version holding every value, with its author,
 *   time and reason; version 0 is the defaults below (no change made yet).
 * - in force: the latest version. A deadline is fixed when it is set (an application's due date
 *   on submission, an update task's on opening): a later change applies to deadlines set after
 *   it, open ones keep theirs.
 */

export type SettingKey =
  | 'APPLICATION_ANSWER_WORKING_DAYS'
  | 'CATALOGUE_UPDATE_WORKING_DAYS'
  | 'OBJECTION_VERIFICATION_WORKING_DAYS'
  | 'GRANT_MAX_DAYS'
  | 'GRANT_EXPIRY_WARNING_WORKING_DAYS'
  | 'NEED_CONSULTATION_WORKING_DAYS'
  | 'NEED_DECISION_WORKING_DAYS'
  | 'CATALOGUE_REVIEW_WORKING_DAYS'
  | 'RECTIFICATION_WORKING_DAYS';

export type SettingUnit = 'WORKING_DAYS' | 'DAYS';

export interface SettingDefinition {
  readonly key: SettingKey;
  readonly name: string;
  readonly nameEn: string;
  readonly unit: SettingUnit;
  readonly defaultValue: number;
  /** The legal source of the default (measure and article, as in /work/shared/regulations). */
  readonly source: string;
  readonly sourceEn: string;
  /** What the value governs, in a sentence. */
  readonly appliesTo: string;
  readonly min: number;
  readonly max: number;
}

/** The settings in the order the console lists them. */
export const SETTING_DEFINITIONS: readonly SettingDefinition[] = Object.freeze([
  {
    key: 'APPLICATION_ANSWER_WORKING_DAYS', name: '共享申请答复期限', nameEn: 'Answer to a sharing application', unit: 'WORKING_DAYS', defaultValue: 10,
    // R5
    source: '003 ××市政务信息资源共享管理办法（模板）第十条：提供部门应在10个工作日内予以答复；004 第十八条',
    sourceEn: '003 municipal template art. 10 (the provider answers within 10 working days); 004 art. 18',
    appliesTo: 'the due date of an application submitted after the change; unanswered after it, the application goes to the coordinating office',
    min: 1, max: 60,
  },
  {
    key: 'CATALOGUE_UPDATE_WORKING_DAYS', name: '目录更新期限', nameEn: 'Catalogue update after a change', unit: 'WORKING_DAYS', defaultValue: 10,
    // R3. 10, not 15: meeting 10 working days meets the 15-day measures too, 15 would break 002 art. 9.
    source: '002 第九条：自法律法规修订或职能变更之日起10个工作日内更新（001 湖南省办法第十条、003 ××市模板第六条为15个工作日）',
    sourceEn: '002 art. 9 (within 10 working days of a change of law or functions); 001 art. 10 and 003 template art. 6 allow 15',
    appliesTo: 'the due date of a catalogue update task opened after the change',
    min: 1, max: 60,
  },
  {
    key: 'OBJECTION_VERIFICATION_WORKING_DAYS', name: '疑义数据校核期限', nameEn: 'Verification of a flagged datum', unit: 'WORKING_DAYS', defaultValue: 10,
    // R9: the measures say "timely" (及时) and fix no number; 10 matches the answer period.
    source: '003 模板 第十三条（疑义、错误信息快速校核机制）；004 第二十一条（及时处理并反馈）：未规定天数，默认与申请答复期限同为10个工作日',
    sourceEn: '003 template art. 13, 004 art. 21 (verify "timely"; no number of days fixed): 10 working days, as for an application',
    appliesTo: 'the due date of an objection raised after the change',
    min: 1, max: 60,
  },
  {
    key: 'GRANT_MAX_DAYS', name: '授权最长期限', nameEn: 'Longest grant', unit: 'DAYS', defaultValue: 3 * 366,
    // R5, R6: no measure fixes a length; a grant serves a stated duty and is applied for again to renew.
    source: '各办法未规定期限：按申请用途授权（003 模板 第十条、第十二条；004 第二十条），到期重新申请；默认三年',
    sourceEn: 'no measure fixes a length: grants serve the stated purpose (003 template art. 10, 12; 004 art. 20) and are renewed by applying again; default three years',
    appliesTo: 'the period an application may ask for and an approval or arbitration may grant, from its first day',
    min: 1, max: 10 * 366,
  },
  {
    key: 'GRANT_EXPIRY_WARNING_WORKING_DAYS', name: '授权到期提醒', nameEn: 'Grant expiry warning', unit: 'WORKING_DAYS', defaultValue: 10,
    // A renewal is answered within the answer period (R5): warn at least that long before.
    source: '平台规则：到期前提醒，留足一个申请答复期限（003 模板 第十条：10个工作日）以便续期',
    sourceEn: 'platform rule: warn one answer period ahead (003 template art. 10: 10 working days), so a renewal is answered before the grant ends',
    appliesTo: 'the working day, counted back from a grant\'s last day, on which its consumer and provider are told it expires',
    min: 1, max: 60,
  },
  {
    key: 'NEED_CONSULTATION_WORKING_DAYS', name: '共享需求协商答复期限', nameEn: 'Provider\'s answer to a sharing need', unit: 'WORKING_DAYS', defaultValue: 10,
    // 000 art. 13: data outside the catalogue is settled by consultation; no number of days fixed: as an application's answer.
    source: '000 第十三条：目录以外的共享信息由有关行政机关协商确定；未规定天数，默认与申请答复期限同为10个工作日（003 模板 第十条）',
    sourceEn: '000 art. 13 (data outside the catalogue: settled by consultation; no number of days fixed): 10 working days, as for an application (003 template art. 10)',
    appliesTo: 'the due date of a consultation opened after the change; unanswered after it, the need goes to the coordinating office',
    min: 1, max: 60,
  },
  {
    key: 'NEED_DECISION_WORKING_DAYS', name: '共享需求协调决定期限', nameEn: 'Coordinating office\'s decision on a sharing need', unit: 'WORKING_DAYS', defaultValue: 10,
    // 000 art. 13: consultation failing, the competent department decides.
    source: '000 第十三条：协商不成的，由本级人民政府信息化主管部门决定；未规定天数，默认10个工作日',
    sourceEn: '000 art. 13 (consultation failing, the competent department decides; no number of days fixed): 10 working days',
    appliesTo: 'the due date of a decision on a need that reached the coordinating office after the change',
    min: 1, max: 60,
  },
  {
    key: 'CATALOGUE_REVIEW_WORKING_DAYS', name: '目录审核备案期限', nameEn: 'Review and filing of a catalogue change', unit: 'WORKING_DAYS', defaultValue: 10,
    // 001 art. 9–10, 002 art. 10: the competent department reviews the catalogue and keeps it on file.
    source: '001 第九条、第十条；002 第十条：目录报主管部门审核、备案；未规定天数，默认10个工作日',
    sourceEn: '001 art. 9–10, 002 art. 10 (catalogues are reviewed and filed by the competent department; no number of days fixed): 10 working days',
    appliesTo: 'the due date of a review of a catalogue change submitted after the change',
    min: 1, max: 60,
  },
  {
    key: 'RECTIFICATION_WORKING_DAYS', name: '限期整改期限', nameEn: 'Rectification period', unit: 'WORKING_DAYS', defaultValue: 20,
    // 003 ××市 art. 21, 004 art. 33: corrected "within a time limit"; no number fixed.
    source: '003 ××市模板 第二十一条；004 第三十三条：责令限期整改，逾期不整改的予以通报；未规定天数，默认20个工作日',
    sourceEn: '003 municipal template art. 21, 004 art. 33 (rectify within a time limit; unrectified, reported upward; no number of days fixed): 20 working days',
    appliesTo: 'the due date of a rectification notice opened after the change; unanswered after it, the notice is reported upward',
    min: 1, max: 120,
  },
] satisfies SettingDefinition[]);

export const SETTING_KEYS: readonly SettingKey[] = SETTING_DEFINITIONS.map((d) => d.key);

export type SettingValues = Readonly<Record<SettingKey, number>>;

export const SETTING_DEFAULTS: SettingValues = Object.freeze(Object.fromEntries(SETTING_DEFINITIONS.map((d) => [d.key, d.defaultValue])) as Record<SettingKey, number>);

export function settingDefinition(key: SettingKey): SettingDefinition {
  const definition = SETTING_DEFINITIONS.find((d) => d.key === key);
  if (!definition) throw new RangeError(`no setting ${key}; one of ${SETTING_KEYS.join(', ')}`);
  return definition;
}

/** What a service needs of the settings: the value in force now. */
export interface SettingsReader {
  value(key: SettingKey): Promise<number>;
}

/** The defaults, for a service used without the platform store (unit tests, offline commands). */
export const DEFAULT_SETTINGS: SettingsReader = { value: async (key) => SETTING_DEFAULTS[key] };
