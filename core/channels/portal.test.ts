import { describe, expect, it } from 'vitest';
import { clientAddress } from './portal';

describe('clientAddress behind a trusted proxy', () => {
  const at = (forwardedFor: string, realIp?: string) => clientAddress({ trustProxy: true, forwardedFor, realIp, socket: '10.0.0.2' });

  it('keys on the right-most hop that is not one of our proxies, so a forged left-most entry changes nothing', () => {
    expect(at('203.0.113.7')).toBe('203.0.113.7');
    expect(at('1.2.3.4, 203.0.113.7')).toBe('203.0.113.7');
    expect(at('9.9.9.9, 8.8.8.8, 203.0.113.7, 10.0.0.1')).toBe('203.0.113.7');
    expect(at('forged, 203.0.113.7, 192.168.1.1, 172.16.0.4, 127.0.0.1')).toBe('203.0.113.7');
    expect(at('2001:db8::1, fd00::1')).toBe('2001:db8::1');
  });
  it('an internal client keeps its own address; X-Real-IP and the socket as fallbacks', () => {
    expect(at('10.1.2.3')).toBe('10.1.2.3');
    expect(at('', '203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddress({ trustProxy: false, forwardedFor: '203.0.113.7', socket: '10.0.0.2' })).toBe('10.0.0.2');
  });
});
