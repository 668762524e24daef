/**
 * National identifiers that key the base entities.
 *
 * - citizen ID number (居民身份证号码, GB 11643-1999): 6-digit address code, 8-digit birth
 *   date, 3-digit sequence (odd for men, even for women), ISO 7064 MOD 11-2 check character.
 * - unified social credit code (统一社会信用代码, GB 32100-2015): registration authority,
 *   entity type, 6-digit division code, 9-character organization code (GB 11714, with its own
 *   check character), and a MOD 31 check character over the first 17.
 *
 * Validation is strict so a typo in a caller's query is reported as such instead of silently
 * reading nothing.
 */

const CITIZEN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CITIZEN_ID_CHECK = '10X98765432';

/** The check character of the first 17 characters of a citizen ID number. */
export function citizenIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new TypeError(`citizenIdCheckCharacter expects 17 digits, received ${JSON.stringify(first17)}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * CITIZEN_ID_WEIGHTS[i]!;
  return CITIZEN_ID_CHECK[sum % 11]!;
}

export function makeCitizenId(addressCode: string, birthDate: string, sequence: number): string {
  const date = birthDate.replaceAll('-', '');
  const first17 = `${addressCode}${date}${String(sequence).padStart(3, '0')}`;
  return first17 + citizenIdCheckCharacter(first17);
}

/** Why a string is not a valid citizen ID number, or null when it is. */
export function citizenIdProblem(value: string): string | null {
  if (!/^\d{17}[\dX]$/.test(value)) {
    return 'a citizen ID number is 17 digits followed by a digit or X (GB 11643)';
  }
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > 31) return 'the birth date part (characters 7–14) is not a date';
  if (citizenIdCheckCharacter(value.slice(0, 17)) !== value[17]) {
    return 'the check character (the 18th) does not match: the number has a typo';
  }
  return null;
}

/** Characters of the unified social credit code, in value order (no I, O, S, V, Z). */
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORGANIZATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11714 check character of an 8-character organization code body. */
export function organizationCodeCheckCharacter(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) {
    throw new TypeError(`organizationCodeCheckCharacter expects 8 characters 0-9A-Z, received ${JSON.stringify(body)}`);
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body[i]!;
    const value = c >= '0' && c <= '9' ? Number(c) : c.charCodeAt(0) - 55;
    sum += value * ORGANIZATION_CODE_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** GB 32100 check character of the first 17 characters of a unified social credit code. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARS.indexOf(first17[i] ?? '');
    if (value < 0) {
      throw new TypeError(`creditCodeCheckCharacter: ${JSON.stringify(first17[i])} at ${i} is not a credit code character`);
    }
    sum += value * CREDIT_CODE_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31]!;
}

export function makeCreditCode(registrationAuthority: string, entityType: string, divisionCode: string, organizationBody: string): string {
  const first17 = `${registrationAuthority}${entityType}${divisionCode}${organizationBody}${organizationCodeCheckCharacter(organizationBody)}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** Why a string is not a valid unified social credit code, or null when it is. */
export function creditCodeProblem(value: string): string | null {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value)) {
    return 'a unified social credit code is 18 characters of 0-9 and A-Y without I, O, S, V, Z (GB 32100)';
  }
  if (creditCodeCheckCharacter(value.slice(0, 17)) !== value[17]) {
    return 'the check character (the 18th) does not match: the code has a typo';
  }
  return null;
}

/**
 * Real-estate unit number (不动产单元号): 6-digit county code, 6-digit cadastral zone and
 * subzone, 2-character parcel feature code, 5-digit parcel sequence, 1-character fixture
 * feature code and 8-digit fixture unit number — 28 characters.
 */
export function realEstateUnitNoProblem(value: string): string | null {
  return /^\d{12}[A-Z]{2}\d{5}[FLQW]\d{8}$/.test(value)
    ? null
    : 'a real-estate unit number is 28 characters: 12 digits, 2 letters, 5 digits, F/L/Q/W and 8 digits';
}

/** GB/T 2260 division codes (6 digits) extended with a 3-digit township part (GB/T 10114). */
export function divisionCodeProblem(value: string): string | null {
  return /^\d{6}(\d{3})?$/.test(value) ? null : 'a division code is 6 digits (GB/T 2260) or 9 digits for a township';
}
