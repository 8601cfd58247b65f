// How a config file's bytes become text, and what is refused before any YAML is read: bytes that
// are not UTF-8 (Node's 'utf8' decoding would silently turn each into U+FFFD, changing the value a
// reviewer sees in the diff), and symbolic links (never followed: a link can point outside the
// repository, or make one hub's file another's).
export interface Refusal {
  line: number;
  col: number;
  message: string;
}

export const SYMLINK_MESSAGE =
  'is a symbolic link; hubfleet never follows links under the config directory (one could point outside the repository or at another hub): replace it with the real file or directory';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Length of the UTF-8 sequence starting at `i`, or 0 when the bytes there are not one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  if (b < 0x80) return 1;
  const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (need === 0 || i + need > bytes.length) return 0;
  try {
    strict.decode(bytes.subarray(i, i + need));
    return need;
  } catch {
    return 0;
  }
}

/** The file's text, or where its first byte that is not UTF-8 is. */
export function decodeConfigBytes(bytes: Uint8Array): { text: string } | { refused: Refusal } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    let lineStart = 0;
    let line = 1;
    for (let i = 0; i < bytes.length;) {
      const n = sequenceLength(bytes, i);
      if (n === 0) {
        const col = strict.decode(bytes.subarray(lineStart, i)).length + 1;
        const byte = (bytes[i] ?? 0).toString(16).padStart(2, '0');
        return {
          refused: {
            line,
            col,
            message: `byte 0x${byte} is not UTF-8; config files are UTF-8 text (a reader would turn it into U+FFFD, changing the value): save the file as UTF-8`,
          },
        };
      }
      if (bytes[i] === 0x0a) {
        line += 1;
        lineStart = i + 1;
      }
      i += n;
    }
    // Unreachable when decode failed; kept total so the caller always gets an answer.
    return { text: new TextDecoder().decode(bytes) };
  }
}

/** A config source from a file's bytes: its text, or why it is refused. */
export function configSource(
  path: string,
  bytes: Uint8Array,
  symlink: boolean,
): { path: string; text: string; refused?: Refusal } {
  if (symlink) return { path, text: '', refused: { line: 1, col: 1, message: SYMLINK_MESSAGE } };
  const decoded = decodeConfigBytes(bytes);
  return 'text' in decoded ? { path, text: decoded.text } : { path, text: '', refused: decoded.refused };
}
