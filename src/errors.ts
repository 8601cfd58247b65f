/**
 * The one error type of hubfleet: what failed and why in `message`, what to do next in `hint`.
 * Everything that reaches a person (CLI, action logs) is rendered by `describeError`.
 */
export class HubfleetError extends Error {
  readonly hint: string;

  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubfleetError';
    this.hint = hint;
  }
}
