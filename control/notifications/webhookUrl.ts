/**
 * Where a department's notifications may be POSTed (R10): https only, so the signed payload
 * and its signature cross the network encrypted; plain http only to this machine's loopback
 * (tests, a local relay). No user:password in the URL — it would be stored and shown back.
 */
import { isIP } from 'node:net';

/** Why `url` may not receive webhooks, or null when it may. */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.username || parsed.password) return 'must not carry a user name or password (the payload is signed with the webhook secret instead)';
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:') return isLoopback(parsed.hostname) ? null : 'must use https (plain http is allowed only to loopback, 127.0.0.1 or ::1, for tests)';
  return `must use https, not ${parsed.protocol.replace(/:$/, '')}`;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}
