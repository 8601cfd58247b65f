// The `hubs` input of the actions that cover several hubs (verify-cert, smoke-iap): one name, a
// list, or `all`. Duplicates are dropped; the order given is kept.
/** `all`, or hub names separated by newlines, commas or spaces. */
export function parseHubList(text: string): 'all' | string[] {
  const names = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 1 && names[0] === 'all') return 'all';
  return [...new Set(names)];
}
