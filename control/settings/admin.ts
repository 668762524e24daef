/**
 * The platform settings in the management API (`/admin/graphql`): `settingsTypeDefs`, merged
 * with `control/admin/schema.graphql`, and `settingsResolvers`, which expect the admin context
 * to carry `settings: PlatformSettings`.
 *
 * Who may do what: every credential reads the settings in force, their legal sources and their
 * history (a department plans its answers by them); only the platform administrator (the
 * coordinating office) changes them, with a reason (recorded in the audit trail by the admin
 * audit plugin).
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import type { Identity } from '../store/platformStore.ts';
import type { PlatformSettings, SettingsVersion } from './platformSettings.ts';
import { SETTING_DEFINITIONS } from './settingDefinitions.ts';

/** The part of the admin context the settings' resolvers use. */
export interface SettingsAdminContext {
  readonly identity: Identity;
  readonly settings: PlatformSettings;
}

export const settingsTypeDefs = /* GraphQL */ `
extend type Query {
  """
  The deadlines and limits in force (平台设置), each with its default, unit and legal source, and
  every version with its author, time and reason. A changed value applies to deadlines set
  after the change (an application's due date on submission, an objection's when raised, an
  update task's when opened, a grant's length when approved); open ones keep theirs.
  """
  platformSettings: PlatformSettings!
}

extend type Mutation {
  """
  Platform administrator (the coordinating office): changes one or more settings, making a new
  version with the reason given. Values are whole numbers within each setting's min and max;
  anything wrong refuses the whole change (BAD_USER_INPUT) and nothing changes. Applies at once
  on every replica, to deadlines set from now on; open deadlines keep theirs.
  """
  changePlatformSettings(changes: [PlatformSettingInput!]!, reason: String!): PlatformSettings!
}

enum PlatformSettingKey {
  "Working days a provider has to answer an application (R5)."
  APPLICATION_ANSWER_WORKING_DAYS
  "Working days to update a catalogue entry after a change (R3)."
  CATALOGUE_UPDATE_WORKING_DAYS
  "Working days a provider has to verify a flagged datum (R9)."
  OBJECTION_VERIFICATION_WORKING_DAYS
  "The longest grant, in calendar days from its first day."
  GRANT_MAX_DAYS
  "Working days before a grant's last day that its consumer and provider are warned."
  GRANT_EXPIRY_WARNING_WORKING_DAYS
  "Working days a provider has to answer a consultation on a sharing need (000 art. 13)."
  NEED_CONSULTATION_WORKING_DAYS
  "Working days the coordinating office has to decide a sharing need (000 art. 13)."
  NEED_DECISION_WORKING_DAYS
  "Working days the coordinating office has to review and file a catalogue change (001 art. 9–10; 002 art. 10)."
  CATALOGUE_REVIEW_WORKING_DAYS
  "Working days a department has to answer a rectification notice (003 art. 21; 004 art. 33)."
  RECTIFICATION_WORKING_DAYS
}

enum PlatformSettingUnit { WORKING_DAYS DAYS }

input PlatformSettingInput { key: PlatformSettingKey! value: Int! }

type PlatformSettings {
  "The version in force; 0 when no change has been made (the defaults)."
  version: Int!
  changedAt: String
  changedBy: String!
  reason: String!
  settings: [PlatformSetting!]!
  "Every version, newest first, ending with version 0 (the defaults)."
  history: [PlatformSettingsVersion!]!
}

type PlatformSetting {
  key: PlatformSettingKey!
  value: Int!
  unit: PlatformSettingUnit!
  defaultValue: Int!
  min: Int!
  max: Int!
  name: String!
  nameEn: String!
  "The legal source of the default (measure and article)."
  source: String!
  sourceEn: String!
  "What the value governs."
  appliesTo: String!
}

type PlatformSettingsVersion {
  version: Int!
  at: String
  actor: String!
  reason: String!
  changes: [PlatformSettingChange!]!
}

type PlatformSettingChange { key: PlatformSettingKey! from: Int! to: Int! }
`;

function settingsOf(version: SettingsVersion, history: () => Promise<SettingsVersion[]>) {
  return {
    version: version.version,
    changedAt: version.at,
    changedBy: version.actor,
    reason: version.reason,
    settings: SETTING_DEFINITIONS.map((d) => ({ ...d, value: version.values[d.key] })),
    history,
  };
}

export const settingsResolvers = {
  Query: {
    platformSettings: async (_: unknown, __: unknown, ctx: SettingsAdminContext) =>
      settingsOf(await ctx.settings.current(), () => ctx.settings.history()),
  },
  Mutation: {
    changePlatformSettings: async (_: unknown, args: { changes: { key: string; value: number }[]; reason: string }, ctx: SettingsAdminContext) => {
      if (ctx.identity.kind !== 'PLATFORM_ADMIN') {
        throw new GraphQLError(`only the platform administrator (the coordinating office) changes the platform's deadlines and limits; your token is a ${ctx.identity.kind} of ${ctx.identity.department}, which may read them (platformSettings)`, { extensions: { code: ErrorCode.FORBIDDEN } });
      }
      const version = await ctx.settings.change(`${ctx.identity.department}:${ctx.identity.credentialId}`, args.changes, args.reason);
      return settingsOf(version, () => ctx.settings.history());
    },
  },
};
