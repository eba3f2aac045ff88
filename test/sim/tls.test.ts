import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../src/sim/tls.js';

describe('the simulator certificate', () => {
  it('is valid DER every time (random serials must be minimally encoded)', () => {
    for (let i = 0; i < 300; i++) {
      const { cert, key } = selfSignedCertificate();
      expect(() => createSecureContext({ cert, key })).not.toThrow();
    }
  });
});
