import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_BITS, secretStrengthBits } from '../../src/random/secret-strength.ts';

describe('secretStrengthBits', () => {
  it('passes every secret made as the README says (openssl rand -hex 32) and random base64', () => {
    for (let i = 0; i < 2000; i++) {
      expect(secretStrengthBits(randomBytes(32).toString('hex'))).toBeGreaterThan(200);
      expect(secretStrengthBits(randomBytes(16).toString('base64'))).toBeGreaterThanOrEqual(MIN_SECRET_BITS);
    }
  });

  it.each([
    'aaaaaaaaaaaaaaaaaaaaaaaa', 'abababababababababababab', '0123456789abcdefghijklmn', 'password12345678',
    'secretsecretsecret', 'qwertyqwerty1234', 'zyxwvutsrqponmlkjihg', '1111111111111111111111111111',
  ])('counts %s as guessable', (secret) => {
    expect(secretStrengthBits(secret)).toBeLessThan(MIN_SECRET_BITS);
  });

  it('counts a long passphrase of uncommon words as strong', () => {
    expect(secretStrengthBits('correct horse battery staple')).toBeGreaterThanOrEqual(MIN_SECRET_BITS);
  });
});
