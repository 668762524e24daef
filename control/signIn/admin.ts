/**
 * Local accounts in the management API (`/admin/graphql`, issue 14): `signInTypeDefs`, merged
 * with `control/admin/schema.graphql`, and `signInResolvers`, which expect the admin context to
 * carry `signIn: SignInService`.
 *
 * Who may: an administrator of the person's department (a department administrator token, or a
 * signed-in person with the ADMINISTRATOR role) or the platform administrator. The one-time
 * password is in the answer only — never in the audit record, which names who did it, to whom
 * (`id`, the person) and why.
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import { personById } from '../people/people.ts';
import type { Identity, PlatformStore } from '../store/platformStore.ts';
import { normalUsername, USERNAME_PATTERN } from './localAccounts.ts';
import type { SignInService } from './signInService.ts';
import { totpUri } from './totp.ts';

export interface SignInAdminContext {
  readonly identity: Identity;
  readonly store: PlatformStore;
  readonly signIn?: SignInService;
}

export const signInTypeDefs = /* GraphQL */ `
"""A person's local account (本地账号): a username, a password and a TOTP second factor, where there is no identity service."""
type LocalAccount {
  username: String!
  personId: ID!
  "True after an administrator's reset, until the person has chosen a password of their own."
  mustChangePassword: Boolean!
  "When the lockout after repeated failed sign-ins ends; null when not locked."
  lockedUntil: String
}

"""What the administrator hands to the person, once (it is not stored readable): a one-time password, changed at the first sign-in."""
type LocalAccountCredentials {
  username: String!
  oneTimePassword: String!
  "The TOTP enrolment (otpauth://) for an authenticator app: for a new account only."
  totpUri: String
}

extend type Query {
  "A person's local account, or null. An administrator of the person's department or the platform administrator."
  localAccount(personId: ID!): LocalAccount
}

extend type Mutation {
  """
  Sets up a local account for a person (\`id\`): a username (3–64 of a–z, 0–9, ., _, -), a
  one-time password and a TOTP secret, given once in the answer. The person signs in with them
  and chooses a password of their own. An administrator of the person's department or the
  platform administrator; the reason is recorded.
  """
  createLocalAccount(id: ID!, username: String!, reason: String!): LocalAccountCredentials!
  """
  Resets a person's (\`id\`) password: a one-time password, to be changed at the next sign-in;
  a lockout is lifted and the person's open sessions end. Same administrators as
  createLocalAccount; the reason is recorded.
  """
  resetLocalPassword(id: ID!, reason: String!): LocalAccountCredentials!
}
`;

function refuse(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function service(ctx: SignInAdminContext): SignInService {
  if (!ctx.signIn) throw refuse(ErrorCode.NOT_FOUND, 'local accounts are not served by this gateway');
  return ctx.signIn;
}

/** The person, when the caller administers their department. */
async function administeredPerson(ctx: SignInAdminContext, personId: string) {
  const person = await personById(ctx.store.db, personId);
  const { identity } = ctx;
  const administers = person && (identity.kind === 'PLATFORM_ADMIN' || (identity.kind === 'DEPARTMENT_ADMIN' && identity.department === person.department));
  const personRole = !identity.person || identity.person.roles.includes('ADMINISTRATOR');
  if (!person || !administers) throw refuse(ErrorCode.NOT_FOUND, `no person ${personId} among the people you administer`);
  if (!personRole) throw refuse(ErrorCode.FORBIDDEN, 'only a department administrator (the ADMINISTRATOR role) manages local accounts; you are signed in without it');
  return person;
}

function reasonOf(reason: string): string {
  if (!reason.trim()) throw refuse(ErrorCode.BAD_USER_INPUT, 'state the reason: it is recorded in the audit trail');
  return reason.trim();
}

export const signInResolvers = {
  Query: {
    async localAccount(_: unknown, { personId }: { personId: string }, ctx: SignInAdminContext) {
      const person = await administeredPerson(ctx, personId);
      const account = await service(ctx).accounts.ofPerson(person.id);
      return account ? { username: account.username, personId: account.personId, mustChangePassword: account.mustChangePassword, lockedUntil: service(ctx).accounts.isLocked(account, service(ctx).clock()) ? account.lockedUntil : null } : null;
    },
  },
  Mutation: {
    async createLocalAccount(_: unknown, args: { id: string; username: string; reason: string }, ctx: SignInAdminContext) {
      reasonOf(args.reason);
      const signIn = service(ctx);
      const person = await administeredPerson(ctx, args.id);
      if (person.deactivatedAt) throw refuse(ErrorCode.BAD_USER_INPUT, `${person.name} is deactivated; a deactivated person gets no account`);
      const username = normalUsername(args.username);
      if (!USERNAME_PATTERN.test(username)) throw refuse(ErrorCode.BAD_USER_INPUT, `a username is 3–64 of a–z, 0–9, ".", "_", "-", starting with a letter or digit; received ${JSON.stringify(args.username)}`);
      if (await signIn.accounts.ofPerson(person.id)) throw refuse(ErrorCode.CONFLICT, `${person.name} already has a local account; reset its password instead`);
      if (await signIn.accounts.byUsername(username)) throw refuse(ErrorCode.CONFLICT, `the username ${username} is taken; choose another`);
      const made = await signIn.accounts.create({ personId: person.id, username }, `${ctx.identity.department}:${ctx.identity.credentialId}`, signIn.clock());
      return { username: made.username, oneTimePassword: made.password, totpUri: totpUri(made.totpSecret, made.username) };
    },
    async resetLocalPassword(_: unknown, args: { id: string; reason: string }, ctx: SignInAdminContext) {
      reasonOf(args.reason);
      const person = await administeredPerson(ctx, args.id);
      const reset = await service(ctx).resetPassword(person.id);
      if (!reset) throw refuse(ErrorCode.NOT_FOUND, `${person.name} has no local account; set one up with createLocalAccount`);
      return { username: reset.username, oneTimePassword: reset.oneTimePassword, totpUri: null };
    },
  },
};
