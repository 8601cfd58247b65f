/**
 * The one error type a person can act on: the message says what failed and why, the hint says
 * what to do next. Anything else thrown is turned into text by `errorMessage`.
 */
export class HubfleetError extends Error {
  override readonly name = 'HubfleetError';
  readonly hint: string;

  constructor(message: string, options: { hint: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }
}

/** Whether `value` carries a hint (a HubfleetError, possibly from another copy of this module). */
export function hasHint(value: unknown): value is Error & { hint: string } {
  return value instanceof Error && typeof (value as { hint?: unknown }).hint === 'string';
}

/** The hint of the first error in a cause chain that has one. */
export function findHint(value: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = value;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    if (hasHint(current)) return current.hint;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

const MAX_OBJECT_TEXT = 500;

/**
 * One line of text for anything thrown: Errors (with their causes and, for AggregateError, each
 * inner error), strings, plain objects, null and undefined.
 */
export function errorMessage(value: unknown): string {
  return oneLine(describe(value, new Set()));
}

function describe(value: unknown, seen: Set<unknown>): string {
  if (value === null) return 'null was thrown (no error details)';
  if (value === undefined) return 'undefined was thrown (no error details)';
  if (typeof value === 'string') return value === '' ? 'an empty string was thrown' : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} thrown: ${String(value)}`;
  }
  if (typeof value === 'symbol') return `symbol thrown: ${value.toString()}`;
  if (typeof value !== 'object' && typeof value !== 'function') return 'a value of unknown type was thrown';
  if (seen.has(value)) return '(circular cause)';
  seen.add(value);

  if (value instanceof Error) {
    let text = value.message === '' ? value.name : value.message;
    if (value instanceof AggregateError && value.errors.length > 0) {
      const inner = value.errors.map((e: unknown) => describe(e, seen));
      text += ` (${inner.length} error${inner.length === 1 ? '' : 's'}: ${inner.join('; ')})`;
    }
    if (value.cause !== undefined) {
      const cause = describe(value.cause, seen);
      // Wrappers often repeat the cause's message already; saying it twice helps nobody.
      if (!text.includes(cause)) text += `: ${cause}`;
    }
    return text;
  }

  const message = (value as { message?: unknown }).message;
  if (typeof message === 'string' && message !== '') return message;
  return `non-error object thrown: ${safeJson(value)}`;
}

function safeJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_OBJECT_TEXT ? `${text.slice(0, MAX_OBJECT_TEXT)}…` : text;
}

/** Collapses whitespace runs containing newlines, so a message stays one annotation line. */
export function oneLine(text: string): string {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

/** The stack and cause chain of anything thrown, for the log (never for the one-line failure). */
export function errorDetail(value: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = value;
  let depth = 0;
  while (current !== undefined && !seen.has(current) && depth < 10) {
    seen.add(current);
    const prefix = depth === 0 ? '' : 'caused by: ';
    if (current instanceof Error) {
      lines.push(prefix + (current.stack ?? `${current.name}: ${current.message}`));
      if (current instanceof AggregateError) {
        current.errors.forEach((inner: unknown, i: number) => {
          lines.push(
            `  [${i}] ${inner instanceof Error ? (inner.stack ?? inner.message) : describe(inner, new Set())}`,
          );
        });
      }
      current = current.cause;
    } else {
      lines.push(prefix + describe(current, new Set()));
      current = undefined;
    }
    depth += 1;
  }
  return lines.join('\n');
}
