// How a plain scalar resolves: the exact rules of the `yaml` package's YAML 1.2 core schema
// (yaml/dist/schema/core), in its order: null, bool, int (octal, decimal, hex), float (nan/inf,
// exponent, plain); anything else is a string. Shared by the two fast readers (fast-yaml.ts gives
// these rules to js-yaml, block-yaml.ts applies them itself), so both resolve alike.

/** Where this module's code is (parse-cache.ts keys its readings by it). */
export const CORE_SCALARS_MODULE = import.meta.url;

export const NULL = /^(?:~|[Nn]ull|NULL)?$/;
export const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
export const INT_OCT = /^0o[0-7]+$/;
export const INT = /^[-+]?[0-9]+$/;
export const INT_HEX = /^0x[0-9a-fA-F]+$/;
export const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
export const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
export const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

export const isNull = (text: string): boolean => NULL.test(text);
export const isBool = (text: string): boolean => BOOL.test(text);
export const isInt = (text: string): boolean => INT_OCT.test(text) || INT.test(text) || INT_HEX.test(text);
export const isFloat = (text: string): boolean =>
  FLOAT_NAN.test(text) || FLOAT_EXP.test(text) || FLOAT.test(text);

export const constructBool = (text: string): boolean => text[0] === 't' || text[0] === 'T';

export function constructInt(text: string): number {
  if (INT_OCT.test(text)) return parseInt(text.substring(2), 8);
  if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  return parseInt(text, 10);
}

export function constructFloat(text: string): number {
  if (FLOAT_NAN.test(text)) {
    if (text.slice(-3).toLowerCase() === 'nan') return NaN;
    return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return parseFloat(text);
}

/** Letters that start no null, bool, int or float of the core schema: such a scalar is a string. */
const STRING_START = /^[A-EG-MO-SU-Za-eg-mo-su-z_/]/;

/** The value of a plain scalar, resolved in the order above. */
export function resolvePlain(text: string): unknown {
  if (STRING_START.test(text)) return text;
  if (isNull(text)) return null;
  if (isBool(text)) return constructBool(text);
  if (isInt(text)) return constructInt(text);
  if (isFloat(text)) return constructFloat(text);
  return text;
}
