/**
 * Bad flags or arguments: the CLI exits 2. Without a hint it prints the command's usage; with one
 * (an unknown name, say) it prints `next: <hint>` instead, which says more than the usage would.
 */
export class UsageError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string } = {}) {
    super(message);
    this.hint = options.hint;
  }
}
