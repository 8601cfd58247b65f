import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from './digest.js';

describe('sha256Hex', () => {
  it('hashes bytes and UTF-8 text alike, as lowercase hex', () => {
    // Known answers: `printf '' | sha256sum`, `printf 'abc' | sha256sum`, `printf 'é' | sha256sum`.
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(sha256Hex('abc'));
    expect(sha256Hex('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
    expect(sha256Hex(new Uint8Array([0xc3, 0xa9]))).toBe(sha256Hex('é'));
  });
});
