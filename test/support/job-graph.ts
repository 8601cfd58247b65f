// Which jobs of a rendered workflow run, given how the jobs that ran ended: GitHub's job-level
// `if:` evaluated over `needs.<job>.result` / `needs.<job>.outputs.<name>` and the status
// functions, in `needs` order. Only the expression subset hubfleet's workflows use is read (context
// paths, string literals, == and != (case-insensitive, as GitHub compares strings), !, &&, ||,
// parentheses, success(), failure(), cancelled(), always()); anything else is an error, never a
// guess. Semantics from GitHub's docs ("Evaluate expressions in workflows and actions", status
// check functions): a job-level `if:` without a status function means `success() && (<if>)`, and
// success() is true only when every job in `needs` succeeded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderAll } from '../../workflows/index.js';

export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';

interface JobDoc {
  needs?: string[] | string;
  if?: string;
}

type Value = string | boolean;

class Parser {
  private i = 0;
  private readonly tokens: string[];

  constructor(
    text: string,
    private readonly lookup: (path: string) => Value,
    private readonly call: (fn: string) => boolean,
  ) {
    this.tokens = [...text.matchAll(/\s*('(?:[^']|'')*'|==|!=|&&|\|\||[!()]|[A-Za-z_][\w.-]*)/gy)].map(
      (m) => m[1] ?? '',
    );
    if (this.tokens.join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) {
      throw new Error(`job-graph: cannot read the expression ${text}`);
    }
  }

  run(): Value {
    const v = this.or();
    if (this.i !== this.tokens.length) throw new Error(`job-graph: unexpected ${this.tokens[this.i]}`);
    return v;
  }

  private peek(): string | undefined {
    return this.tokens[this.i];
  }

  private or(): Value {
    let v = this.and();
    while (this.peek() === '||') {
      this.i++;
      const r = this.and();
      v = truthy(v) ? v : r;
    }
    return v;
  }

  private and(): Value {
    let v = this.cmp();
    while (this.peek() === '&&') {
      this.i++;
      const r = this.cmp();
      v = truthy(v) ? r : v;
    }
    return v;
  }

  private cmp(): Value {
    const left = this.unary();
    const op = this.peek();
    if (op !== '==' && op !== '!=') return left;
    this.i++;
    const right = this.unary();
    const equal = String(left).toLowerCase() === String(right).toLowerCase();
    return op === '==' ? equal : !equal;
  }

  private unary(): Value {
    const t = this.tokens[this.i++];
    if (t === undefined) throw new Error('job-graph: expression ends early');
    if (t === '!') return !truthy(this.unary());
    if (t === '(') {
      const v = this.or();
      if (this.tokens[this.i++] !== ')') throw new Error('job-graph: missing )');
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'true' || t === 'false') return t === 'true';
    if (this.peek() === '(') {
      this.i++;
      if (this.tokens[this.i++] !== ')') throw new Error(`job-graph: ${t}() takes no arguments here`);
      return this.call(t);
    }
    return this.lookup(t);
  }
}

const truthy = (v: Value): boolean => v !== false && v !== '';

const STATUS = /\b(success|failure|cancelled|always)\(\)/;

export interface GraphRun {
  results: Record<string, JobResult>;
}

/**
 * Walks the workflow's jobs in dependency order. `ran(job)` says how a job that GitHub starts ends
 * (its steps are the other tests' business); `outputs` are the jobs' outputs as GitHub hands them
 * on (a failed job's outputs are still set). The run itself is never cancelled here. The workflow
 * is this repository's rendered one, or the one in the fleet repository at `fleetRoot`.
 */
export function walkJobs(
  workflow: string,
  ran: (job: string) => JobResult,
  outputs: Record<string, Record<string, string>> = {},
  fleetRoot?: string,
): Record<string, JobResult> {
  const path = `.github/workflows/${workflow}.yml`;
  const text =
    fleetRoot === undefined
      ? (renderAll().find((w) => w.path === path)?.content ?? '')
      : readFileSync(join(fleetRoot, path), 'utf8');
  const doc = parse(text) as {
    jobs: Record<string, JobDoc>;
  };
  const results: Record<string, JobResult> = {};
  const pending = Object.keys(doc.jobs);
  while (pending.length > 0) {
    const index = pending.findIndex((id) => needsOf(doc.jobs[id]).every((n) => results[n] !== undefined));
    if (index < 0) throw new Error('job-graph: a needs cycle');
    const [id] = pending.splice(index, 1);
    if (id === undefined) break;
    const job = doc.jobs[id] ?? {};
    const needs = needsOf(job);
    const raw = (job.if ?? '').replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1').trim();
    const expression = raw === '' ? 'success()' : STATUS.test(raw) ? raw : `success() && (${raw})`;
    const lookup = (path: string): Value => {
      const m = /^needs\.([\w-]+)\.(result|outputs\.([\w-]+))$/.exec(path);
      if (m === null || !needs.includes(m[1] ?? '')) throw new Error(`job-graph: ${id} reads ${path}`);
      const need = m[1] ?? '';
      if (m[2] === 'result') return results[need] ?? '';
      return outputs[need]?.[m[3] ?? ''] ?? '';
    };
    const call = (fn: string): boolean => {
      if (fn === 'always') return true;
      if (fn === 'cancelled') return false;
      if (fn === 'success') return needs.every((n) => results[n] === 'success');
      if (fn === 'failure') return needs.some((n) => results[n] === 'failure');
      throw new Error(`job-graph: unknown function ${fn}()`);
    };
    results[id] = truthy(new Parser(expression, lookup, call).run()) ? ran(id) : 'skipped';
  }
  return results;
}

function needsOf(job: JobDoc | undefined): string[] {
  if (job?.needs === undefined) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}
