// What a bench section is. `npm run bench` imports every module in bench/sections/ (in file-name
// order) and runs the section each one exports as default; adding a benchmark is adding a file.
// A section prints its own figures and returns a verdict per target, so the run ends with one list
// of every target and whether it was met.

export interface BenchContext {
  /** Timed runs per measurement (at least 5; medians of fewer are noise). */
  runs: number;
  /** The project root (package.json, bin/, lib/, actions/). */
  root: string;
  /** A scratch directory for this run, removed afterwards; sections make subdirectories in it. */
  scratch: string;
  /** Progress for long sections, on stderr so stdout stays the report. */
  progress: (line: string) => void;
}

export interface Verdict {
  /** What was measured, e.g. "1,000-hub validate". */
  subject: string;
  /** The goal as written, e.g. "≤ 8x node -e ''". */
  target: string;
  /** The figure, e.g. "5.1x (612 ms)". */
  measured: string;
  met: boolean;
}

export interface SectionResult {
  lines: string[];
  verdicts: Verdict[];
}

export interface BenchSection {
  /** Short name for `npm run bench -- --only NAME`. */
  name: string;
  run: (context: BenchContext) => Promise<SectionResult>;
}

export function verdictLine(v: Verdict): string {
  return `${v.met ? 'met   ' : 'MISSED'}  ${v.subject}: ${v.measured} (target ${v.target})`;
}
