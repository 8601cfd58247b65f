import { jest } from '@jest/globals';

/**
 * Records what @actions/core writes to stdout (its workflow commands) while `fn` runs, in order.
 * This is core's contract with the runner, so the tests read it instead of patching core.
 */
export async function captureStdout<T>(fn: () => T | Promise<T>): Promise<{ result: T; lines: string[] }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    const result = await fn();
    return {
      result,
      lines: chunks
        .join('')
        .split('\n')
        .filter((line) => line !== ''),
    };
  } finally {
    spy.mockRestore();
  }
}
