// The structure of HCL native syntax (blocks, labels, attributes, with their lines) and the raw
// text of each attribute's expression. Enough to check the root modules without terraform loading
// providers: which resources, arguments and nested blocks they use, and how variables are typed.
// Expressions are not evaluated; they are skipped with their strings, templates, heredocs,
// comments and brackets respected, so an attribute ends where HCL ends it.
//
// Grammar followed: https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md (ConfigFile,
// Body, Attribute, Block, OneLineBlock; TemplateExpr and heredocs for skipping).

export interface HclAttribute {
  name: string;
  line: number;
  /** Source text of the expression, trimmed. */
  expr: string;
}

export interface HclBlock {
  type: string;
  labels: string[];
  line: number;
  body: HclBody;
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export class HclSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

class Scanner {
  pos = 0;
  constructor(
    readonly src: string,
    readonly file: string,
  ) {}

  get ch(): string {
    return this.src[this.pos] ?? '';
  }

  line(at = this.pos): number {
    let n = 1;
    for (let i = 0; i < at; i++) if (this.src[i] === '\n') n++;
    return n;
  }

  fail(detail: string, at = this.pos): never {
    throw new HclSyntaxError(this.file, this.line(at), detail);
  }

  /** Skips spaces and comments; newlines too when `newlines`. Returns true if a newline was passed. */
  skipSpace(newlines: boolean): boolean {
    let sawNewline = false;
    for (;;) {
      const c = this.ch;
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\n') {
        if (!newlines) return sawNewline;
        sawNewline = true;
        this.pos++;
      } else if (c === '#' || (c === '/' && this.src[this.pos + 1] === '/')) {
        while (this.pos < this.src.length && this.ch !== '\n') this.pos++;
      } else if (c === '/' && this.src[this.pos + 1] === '*') {
        const end = this.src.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated /* comment');
        sawNewline ||= this.src.slice(this.pos, end).includes('\n');
        this.pos = end + 2;
      } else return sawNewline;
    }
  }

  ident(): string {
    const start = this.pos;
    if (!IDENT_START.test(this.ch))
      this.fail(`expected a name, found ${JSON.stringify(this.ch || 'end of file')}`);
    while (IDENT_CHAR.test(this.ch)) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** A quoted template starting at `"`; returns its literal text when it has no interpolation. */
  quoted(): string {
    const start = this.pos;
    this.pos++; // opening quote
    let text = '';
    for (;;) {
      const c = this.ch;
      if (c === '') this.fail('unterminated string', start);
      if (c === '\n') this.fail('newline in a quoted string', start);
      if (c === '"') {
        this.pos++;
        return text;
      }
      if (c === '\\') {
        text += this.src.slice(this.pos, this.pos + 2);
        this.pos += 2;
      } else if ((c === '$' || c === '%') && this.src[this.pos + 1] === '{') {
        this.pos += 2;
        this.expression('}');
        if (this.ch !== '}') this.fail('unterminated template interpolation', start);
        this.pos++;
        text += '${…}';
      } else if ((c === '$' || c === '%') && this.src[this.pos + 1] === c && this.src[this.pos + 2] === '{') {
        text += this.src.slice(this.pos, this.pos + 3); // $${ / %%{ escapes
        this.pos += 3;
      } else {
        text += c;
        this.pos++;
      }
    }
  }

  heredoc(): void {
    const start = this.pos;
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(this.src.slice(this.pos));
    if (!m) this.fail('malformed heredoc');
    this.pos += m[0].length;
    const marker = m[2];
    for (;;) {
      const eol = this.src.indexOf('\n', this.pos);
      const lineText = this.src.slice(this.pos, eol < 0 ? undefined : eol);
      if (lineText.trim() === marker) {
        this.pos = eol < 0 ? this.src.length : eol;
        return;
      }
      if (eol < 0) this.fail(`heredoc ${marker} is not closed`, start);
      this.pos = eol + 1;
    }
  }

  /**
   * Skips one expression. At the top of an attribute (`until` undefined) it ends at a newline
   * outside brackets, or before a `}` that closes the enclosing one-line block. Inside brackets or
   * a template interpolation it ends before the closer `until`.
   */
  expression(until?: string): void {
    const stack: string[] = [];
    for (;;) {
      const inside = stack.length > 0 || until !== undefined;
      this.skipSpace(inside);
      const c = this.ch;
      if (c === '') {
        if (inside) this.fail(`missing ${stack.at(-1) ?? until ?? ''}`);
        return;
      }
      if (c === '\n') return;
      if (c === '"') this.quoted();
      else if (
        c === '<' &&
        this.src.startsWith('<<', this.pos) &&
        /^<<-?[A-Za-z_]/.test(this.src.slice(this.pos))
      )
        this.heredoc();
      else if (c in CLOSER) {
        stack.push(CLOSER[c] as string);
        this.pos++;
      } else if (c === ')' || c === ']' || c === '}') {
        const want = stack.at(-1);
        if (want === undefined) {
          if (c === until || (until === undefined && c === '}')) return;
          this.fail(`unexpected ${c}`);
        }
        if (c !== want) this.fail(`expected ${want}, found ${c}`);
        stack.pop();
        this.pos++;
      } else this.pos++;
    }
  }

  body(nested: boolean): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    for (;;) {
      this.skipSpace(true);
      if (this.ch === '') {
        if (nested) this.fail('missing } at the end of a block');
        return body;
      }
      if (this.ch === '}') {
        if (!nested) this.fail('unexpected }');
        return body;
      }
      const start = this.pos;
      const name = this.ident();
      this.skipSpace(false);
      if (this.ch === '=' && this.src[this.pos + 1] !== '=') {
        this.pos++;
        const exprStart = this.pos;
        this.expression();
        const expr = this.src.slice(exprStart, this.pos).trim();
        if (expr === '') this.fail(`attribute ${name} has no value`, start);
        body.attributes.push({ name, line: this.line(start), expr });
        continue;
      }
      const labels: string[] = [];
      while (this.ch !== '{') {
        if (this.ch === '"') labels.push(this.quoted());
        else if (IDENT_START.test(this.ch)) labels.push(this.ident());
        else this.fail(`expected "=" or a block after ${name}`);
        this.skipSpace(false);
      }
      this.pos++; // {
      const inner = this.body(true);
      this.pos++; // }
      body.blocks.push({ type: name, labels, line: this.line(start), body: inner });
    }
  }
}

/** Parses one file of HCL native syntax; throws HclSyntaxError with file:line. */
export function parseHcl(source: string, file: string): HclBody {
  return new Scanner(source, file).body(false);
}
