/**
 * The console's only way to the platform: `POST /admin/graphql` on the same origin with the
 * signed-in token. The console has no privileges of its own, so every failure the API reports
 * is surfaced to the user as it came (message and `extensions.code`), never reinterpreted.
 */

/** One error as the API reported it. */
export interface ApiErrorDetail {
  message: string;
  code: string | null;
  path?: readonly (string | number)[];
  /** The error's other extensions as sent (e.g. `check`, the report of a CHECK_FAILED publication). */
  extensions?: Readonly<Record<string, unknown>>;
}

export class ApiError extends Error {
  constructor(
    readonly details: readonly ApiErrorDetail[],
    /** HTTP status; 0 when the platform could not be reached. */
    readonly status: number,
  ) {
    super(details.map((d) => d.message).join('; ') || `request failed with HTTP ${status}`);
    this.name = 'ApiError';
  }

  /** The first error's code, e.g. FORBIDDEN, BAD_USER_INPUT, UNAUTHENTICATED. */
  get code(): string | null {
    return this.details[0]?.code ?? null;
  }

  /** The token itself was refused: the session is over, whatever page the user is on. */
  get unauthenticated(): boolean {
    return this.status === 401 || this.code === 'UNAUTHENTICATED';
  }
}

export const ADMIN_ENDPOINT = '/admin/graphql';

/**
 * How the console proves who it is: a pasted token (sent as Bearer), or a signed-in person's
 * session (the HttpOnly cookie the browser sends by itself, and the session's CSRF token).
 */
export type ConsoleCredential = string | { readonly csrfToken: string };

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: readonly { message?: unknown; path?: readonly (string | number)[]; extensions?: { code?: unknown } & Record<string, unknown> }[];
}

function detailsOf(errors: NonNullable<GraphQLResponse<unknown>['errors']>): ApiErrorDetail[] {
  return errors.map((e) => ({
    message: typeof e.message === 'string' ? e.message : JSON.stringify(e.message),
    code: typeof e.extensions?.code === 'string' ? e.extensions.code : null,
    ...(e.path ? { path: e.path } : {}),
    ...(e.extensions ? { extensions: e.extensions } : {}),
  }));
}

/**
 * Runs one operation. Any GraphQL error rejects: the admin API's root fields are non-null, so
 * an error there leaves nothing trustworthy to show, and a user must see why.
 */
export async function adminRequest<T>(token: ConsoleCredential, query: string, variables: Record<string, unknown> = {}, endpoint = ADMIN_ENDPOINT): Promise<T> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', accept: 'application/json',
        ...(typeof token === 'string' ? { authorization: `Bearer ${token}` } : { 'x-csrf-token': token.csrfToken }),
      },
      body: JSON.stringify({ query, variables }),
      credentials: typeof token === 'string' ? 'omit' : 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError([{ message: `the platform could not be reached: ${(error as Error).message}`, code: 'NETWORK_ERROR' }], 0);
  }
  const text = await response.text();
  let body: GraphQLResponse<T>;
  try {
    body = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new ApiError([{ message: `HTTP ${response.status} ${response.statusText}: the answer is not JSON (${text.slice(0, 200)})`, code: `HTTP_${response.status}` }], response.status);
  }
  if (body.errors?.length) throw new ApiError(detailsOf(body.errors), response.status);
  if (!response.ok || body.data == null) {
    throw new ApiError([{ message: `HTTP ${response.status} ${response.statusText}: no data in the answer`, code: `HTTP_${response.status}` }], response.status);
  }
  return body.data;
}
