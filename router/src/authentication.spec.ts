import type { IncomingMessage } from 'node:http';
import { ConfigError } from '@minishop/runtime';
import { clientAddressResolver } from './authentication';
import { readRouterConfig } from './config';

/** A request as Node hands it over: the peer's address on the socket, headers as sent. */
function request(peer: string, forwardedFor?: string): IncomingMessage {
  const socket = { remoteAddress: peer };
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return { socket, connection: socket, headers } as unknown as IncomingMessage;
}

describe('clientAddressResolver (who an anonymous caller is)', () => {
  it('is the peer, whatever X-Forwarded-For says, when no proxy is trusted', () => {
    const clientAddress = clientAddressResolver([]);
    expect(clientAddress(request('203.0.113.7', '198.51.100.1'))).toBe('203.0.113.7');
  });

  it('is the address a trusted proxy forwarded for, not what the client wrote before it', () => {
    const clientAddress = clientAddressResolver(['10.0.0.0/8']);
    // The client sent a forged header; the ingress controller (10.1.2.3) appended the real peer.
    expect(clientAddress(request('10.1.2.3', '6.6.6.6, 203.0.113.7'))).toBe('203.0.113.7');
    // Two trusted hops (an external load balancer, then the ingress controller).
    expect(clientAddress(request('10.1.2.3', '203.0.113.7, 10.9.9.9'))).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    const clientAddress = clientAddressResolver(['uniquelocal']);
    expect(clientAddress(request('203.0.113.7', '198.51.100.1'))).toBe('203.0.113.7');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address, a range or a known name', () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', AMQP_URL: 'amqp://127.0.0.1:5672' };
    expect(readRouterConfig([], { ...env, TRUSTED_PROXIES: 'loopback, 10.0.0.0/8' }).trustedProxies).toEqual([
      'loopback',
      '10.0.0.0/8',
    ]);
    expect(() => readRouterConfig([], { ...env, TRUSTED_PROXIES: 'ingress-nginx' })).toThrow(ConfigError);
    expect(() => readRouterConfig([], { ...env, TRUSTED_PROXIES: 'ingress-nginx' })).toThrow(/TRUSTED_PROXIES/);
  });
});
