import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { assertPublicHost, isPrivateAddress } from './address-guard.js';
import { postSigned } from './post-signed.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe('webhook address guard (production)', () => {
  it('knows loopback, private, link-local and mapped addresses from public ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: true });
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) {
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: false });
    }
  });

  it('refuses a private host at registration and at connection time, by name too (resolved address)', async () => {
    await expect(assertPublicHost('127.0.0.1')).rejects.toThrow(/private or loopback/);
    await expect(assertPublicHost('localhost')).rejects.toThrow(/private or loopback/);
    const server = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // Allowed in development and tests; refused with the guard, by IP and by a name resolving to it.
      await expect(postSigned(`http://127.0.0.1:${port}/`, SECRET, 'id-1', '{}')).resolves.toBe(204);
      await expect(
        postSigned(`http://127.0.0.1:${port}/`, SECRET, 'id-1', '{}', 1000, {}, true),
      ).rejects.toThrow(/private or loopback/);
      await expect(
        postSigned(`http://localhost:${port}/`, SECRET, 'id-1', '{}', 1000, {}, true),
      ).rejects.toThrow(/private or loopback/);
    } finally {
      server.close();
    }
  });
});
