// Who is asking, for the login limit: the address a trusted proxy saw, or the peer itself.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../../../src/adapters/web/dashboard-server.js';

const request = (peer: string, forwardedFor?: string): IncomingMessage =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('the address the login limit counts', () => {
  it.each([
    ['a proxy on this machine', '127.0.0.1'],
    ['a proxy on this machine, over IPv6', '::1'],
    ["the Docker bridge's gateway, for the host's proxy", '172.18.0.1'],
    ['the same, as Node reports an IPv4 peer on a dual-stack socket', '::ffff:172.17.0.1'],
    ['a proxy on the private network', '10.1.2.3'],
  ])('when the peer is %s, then the client is the last address it forwarded', (_, peer) => {
    expect(clientAddress(request(peer, '198.51.100.9, 203.0.113.7'))).toBe('203.0.113.7');
  });

  it.each(['203.0.113.50', '172.32.0.1', '::ffff:8.8.8.8', '2001:db8::1'])('when the peer %s is on the internet, then what it claims to forward for is ignored', (peer) => {
    expect(clientAddress(request(peer, '10.0.0.1'))).toBe(peer);
  });
});
