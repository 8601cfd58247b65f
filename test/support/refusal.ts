// What a refusal says: the message and the hint of the HubfleetError a call throws, so a test
// asserts both exactly (jest's toThrow compares the message alone).
import { expect } from '@jest/globals';
import { HubfleetError } from '../../src/errors.js';

export function refusal(call: () => unknown): { message: string; hint: string } {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(HubfleetError);
    return { message: (e as HubfleetError).message, hint: (e as HubfleetError).hint };
  }
  throw new Error('not refused');
}
