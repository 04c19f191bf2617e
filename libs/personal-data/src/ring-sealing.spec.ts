import { describe, expect, it } from '@jest/globals';
import { parseKeyRing } from './key-encryption-keys.js';
import { sealUnderRing, unsealUnderRing } from './ring-sealing.js';

const k1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const k2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;

describe('secrets sealed under the key ring', () => {
  const before = parseKeyRing(k1);
  const sealed = sealUnderRing(before, 'sub-1', 'webhook-secret', 'whsec_c2VjcmV0');

  it('keeps nothing in clear and opens with the same ring, subject and field', () => {
    expect(sealed).not.toContain('c2VjcmV0');
    expect(JSON.parse(sealed)).toMatchObject({ kek: 'k1', alg: 'A256GCM' });
    expect(unsealUnderRing(before, 'sub-1', 'webhook-secret', sealed)).toBe('whsec_c2VjcmV0');
  });

  it('still opens after a rotation that keeps the old KEK as previous, and not once it is dropped', () => {
    expect(unsealUnderRing(parseKeyRing(k2, k1), 'sub-1', 'webhook-secret', sealed)).toBe('whsec_c2VjcmV0');
    expect(() => unsealUnderRing(parseKeyRing(k2), 'sub-1', 'webhook-secret', sealed)).toThrow(
      'not configured',
    );
  });

  it('refuses another subject, another field, or an altered ciphertext', () => {
    expect(() => unsealUnderRing(before, 'sub-2', 'webhook-secret', sealed)).toThrow();
    expect(() => unsealUnderRing(before, 'sub-1', 'other', sealed)).toThrow();
    const altered = { ...JSON.parse(sealed), ct: Buffer.from('tampered').toString('base64') };
    expect(() => unsealUnderRing(before, 'sub-1', 'webhook-secret', JSON.stringify(altered))).toThrow();
  });
});
