// Splits a byte stream of concatenated JSON values (kubectl's watch output: one object after
// another, compact or pretty-printed, with or without newlines) into complete values, however the
// chunks happen to be cut. Only top-level objects and arrays are framed; text outside them is an
// error, because kubectl writes nothing else to stdout.

export class JsonStreamSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  /** How far `buffer` has been scanned. */
  private scanned = 0;

  /** Feeds a chunk; returns the values it completed, in order. */
  push(chunk: string): unknown[] {
    this.buffer += chunk;
    const out: unknown[] = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const ch = this.buffer[i] as string;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') {
        if (this.depth === 0)
          throw new SyntaxError(`JSON stream: text outside an object: ${this.excerpt(i)}`);
        this.inString = true;
      } else if (ch === '{' || ch === '[') {
        if (this.depth === 0) this.start = i;
        this.depth += 1;
      } else if (ch === '}' || ch === ']') {
        this.depth -= 1;
        if (this.depth < 0) throw new SyntaxError(`JSON stream: unbalanced ${ch}: ${this.excerpt(i)}`);
        if (this.depth === 0) out.push(JSON.parse(this.buffer.slice(this.start, i + 1)) as unknown);
      } else if (this.depth === 0 && !/\s/.test(ch)) {
        throw new SyntaxError(`JSON stream: text outside an object: ${this.excerpt(i)}`);
      }
    }
    // Keep only the unfinished value, so memory stays bounded by one object.
    if (this.depth === 0) {
      this.buffer = '';
      this.scanned = 0;
    } else {
      this.buffer = this.buffer.slice(this.start);
      this.scanned = this.buffer.length;
      this.start = 0;
    }
    return out;
  }

  /** True when the stream stopped in the middle of a value (a cut connection). */
  get partial(): boolean {
    return this.depth > 0;
  }

  private excerpt(at: number): string {
    return JSON.stringify(this.buffer.slice(Math.max(0, at - 20), at + 40));
  }
}
