// Shortening long text for places with a hard size limit (issue bodies, job outputs), keeping the
// beginning and the end: a plan's header and its summary line are what a reader needs most.

/**
 * `text` unchanged when it fits in `maxChars` UTF-16 code units; otherwise its head and tail around
 * a line saying how much was cut and `note` (where the full text is, e.g. "full plan in the job
 * summary / artifact plan-pangeo-gcp"). The result is never longer than `maxChars` and never
 * splits a surrogate pair.
 */
export function truncateMiddle(text: string, maxChars: number, note: string): string {
  if (!Number.isInteger(maxChars) || maxChars < 0)
    throw new RangeError(`maxChars must be a whole number ≥ 0`);
  if (text.length <= maxChars) return text;

  // The marker reports how much was cut, so its length depends on the cut: grow the space reserved
  // for it until the marker for the actual cut fits. Counts only grow as the kept part shrinks, so
  // this settles within a few rounds.
  let reserved = markerFor('', note).length;
  for (;;) {
    const keep = maxChars - reserved;
    if (keep <= 0) return safeSlice(markerFor(text, note), 0, maxChars);
    let headEnd = Math.ceil(keep / 2);
    let tailStart = text.length - (keep - headEnd);
    // Never leave half a surrogate pair on either side of the cut.
    if (isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd -= 1;
    if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart += 1;
    const marker = markerFor(text.slice(headEnd, tailStart), note);
    if (marker.length <= reserved) return text.slice(0, headEnd) + marker + text.slice(tailStart);
    reserved = marker.length;
  }
}

function markerFor(removed: string, note: string): string {
  const chars = [...removed].length;
  const lines = removed.split('\n').length - 1;
  const what = lines > 0 ? `${fmt(chars)} characters (${fmt(lines)} lines)` : `${fmt(chars)} characters`;
  return `\n\n… ${what} cut here — ${note} …\n\n`;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

function safeSlice(text: string, start: number, end: number): string {
  let e = Math.min(end, text.length);
  if (e > start && isHighSurrogate(text.charCodeAt(e - 1))) e -= 1;
  return text.slice(start, e);
}
