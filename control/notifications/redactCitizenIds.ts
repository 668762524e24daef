/**
 * Notification texts name records (application, objection, field coordinate), never citizens:
 * they are stored for every department concerned and POSTed to webhooks outside the platform.
 * What people typed (a reason, a note) may still hold a citizen ID number; any valid one is
 * withheld here, whichever text carries it.
 */
import { citizenIdProblem } from '../../schema/identifiers.ts';

const CANDIDATE = /(?<!\d)\d{17}[\dXx](?![0-9A-Za-z])/g;

export const WITHHELD = '[citizen ID withheld]';

export function redactCitizenIds(text: string): string {
  return text.replace(CANDIDATE, (candidate) => (citizenIdProblem(candidate.toUpperCase()) === null ? WITHHELD : candidate));
}
