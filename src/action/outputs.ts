import * as core from '@actions/core';

/** An output value: strings are written as they are, anything else as JSON. */
export type OutputValue =
  string | number | boolean | null | readonly unknown[] | { readonly [key: string]: unknown };

export type OutputRecord = { readonly [name: string]: OutputValue | undefined };

/** The outputs an action declares (the same names as its action.yml `outputs:`). */
export function defineOutputs<const Names extends readonly string[]>(names: Names): Names {
  return names;
}

/** Outputs typed by a declaration: any subset of the declared names, nothing else. */
// `undefined` is allowed and means "not set", so optional results need no conditional spreading.
export type OutputsOf<Names extends readonly string[]> = {
  readonly [N in Names[number]]?: OutputValue | undefined;
};

/** Sets each defined output; non-strings are JSON-encoded so a workflow can `fromJSON` them. */
export function setOutputs(outputs: OutputRecord): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    core.setOutput(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
}
