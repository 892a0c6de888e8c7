// Which names the dashboard answers to: the defence against DNS rebinding. A page on an attacker's domain whose name
// is then pointed at 127.0.0.1 talks to the dashboard as its own origin: same-origin to the browser, so it can read
// the answers, set any header (X-Forwarded-For included, which is believed from loopback) and guess passwords from
// "this machine". Only the Host header, which a page cannot set, still names the attacker's domain, so requests for a
// name the owner did not list are refused before anything else is looked at.
import type { IncomingMessage } from 'node:http';

/** This machine's own name: the only name (not an address) answered unless the owner lists more. */
const LOOPBACK_NAMES = ['localhost'];

/** The host name of a Host header (or a listed name), lower case, without port or trailing dot; undefined if malformed. */
export function hostName(value: string): string | undefined {
  const trimmed = value.trim();
  // A userinfo, path or query would let URL parsing pick a different host than the browser meant.
  if (trimmed === '' || /[\s/\\@?#]/.test(trimmed)) return undefined;
  try {
    const name = new URL(`http://${trimmed}`).hostname;
    return name.endsWith('.') ? name.slice(0, -1) : name;
  } catch {
    return undefined;
  }
}

/**
 * An IP address written as the host (`203.0.113.7`, `[::1]`; URL parsing has already normalised other spellings of
 * one). A browser sends one only for a page it loaded from that very address, which rebinding, a name re-pointed,
 * cannot produce: the VPS's own address typed in, or the Docker host's, which the daemon inside a container never sees
 * as its own.
 */
function isAddress(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || (name.startsWith('[') && name.endsWith(']'));
}

export class AllowedHosts {
  private readonly names: ReadonlySet<string>;

  /** `listed`: the owner's own names for the dashboard (a reverse proxy's domain), with or without a port. */
  constructor(listed: readonly string[] = []) {
    const names = listed.map(hostName).filter((name): name is string => name !== undefined);
    this.names = new Set([...LOOPBACK_NAMES, ...names]);
  }

  /**
   * The port is not compared: cookies are shared by every port of a name, so another port adds no protection, and
   * Docker publishes the port under another number than the one the daemon listens on. Any IP address is accepted
   * (see `isAddress`).
   */
  refusal(request: IncomingMessage): string | undefined {
    const claimed = [request.headers.host, ...forwardedHosts(request)];
    for (const value of claimed) {
      // A request without Host does not come from a browser (HTTP/1.1 requires one, and Node refuses its absence).
      if (value === undefined) continue;
      const name = hostName(value);
      if (name !== undefined && (this.names.has(name) || isAddress(name))) continue;
      const shown = name ?? 'a malformed name';
      return `this dashboard does not answer to ${JSON.stringify(shown.slice(0, 100))}: if that is how you reach it, add the name to DASHBOARD_ALLOWED_HOSTS`;
    }
    return undefined;
  }
}

/**
 * A reverse proxy that rewrites Host to its upstream (127.0.0.1:8000) passes the name the browser asked for in
 * X-Forwarded-Host: that name must be an expected one too, or a rebound name would pass through such a proxy.
 */
function forwardedHosts(request: IncomingMessage): (string | undefined)[] {
  const header = request.headers['x-forwarded-host'];
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values.flatMap((value) => value.split(','));
}
