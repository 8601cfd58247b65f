/** Bad flags or arguments: the CLI prints the command's usage and exits 2. */
export class UsageError extends Error {}
