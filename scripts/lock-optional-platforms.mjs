// The npm registry reachable from our machines serves only the Linux builds of packages that ship
// one optional package per platform (e.g. unrs-resolver, used by jest). `npm install` then leaves
// the other platforms out of package-lock.json, and `npm ci` refuses the lock as out of sync.
// This adds the missing entries, marked optional with the os/cpu their names state, so `npm ci`
// accepts the lock and skips them on every platform they are not for. Run it after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM =
  /-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|x64|ia32|arm|loong64|ppc64|riscv64|s390x)(-|$)/;
const path = 'package-lock.json';
const lock = JSON.parse(readFileSync(path, 'utf8'));
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    const match = PLATFORM.exec(name);
    if (lock.packages[target] !== undefined || match === null) continue;
    lock.packages[target] = {
      version,
      ...(entry.dev === true ? { dev: true } : {}),
      optional: true,
      os: [match[1]],
      cpu: [match[2]],
    };
    added += 1;
    process.stdout.write(`added ${target} (optional, ${match[1]}/${match[2]}) for ${key}\n`);
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
writeFileSync(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
process.stdout.write(`${added} optional platform entries added\n`);
