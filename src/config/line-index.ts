// Offsets into a text as 1-based line and column. Built from the text itself, only when a problem
// is reported: the YAML parser's own line counter misses line breaks inside tokens it could not
// parse, so after a syntax error it can point at the wrong line.

export interface LinePosition {
  line: number;
  col: number;
}

export type LinePositions = (offset: number) => LinePosition;

/** A lookup from offset to line:col; line breaks are LF, CRLF and a lone CR, as YAML defines them. */
export function linePositions(text: string): LinePositions {
  let starts: number[] | undefined;
  return (offset) => {
    starts ??= lineStarts(text);
    const at = Math.max(0, Math.min(offset, text.length));
    // The last line start at or before `at`.
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: at - (starts[low] ?? 0) + 1 };
  };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}
