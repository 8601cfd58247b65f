#!/usr/bin/env node
// The CLI is compiled to lib/ and bundled into lib/cli/ by `npm ci` (prepare) or `npm run build:lib`
// (scripts/build-lib.mjs); lib/cli/entry.js runs a command from that command's own bundle.
import { main } from '../lib/cli/entry.js';

process.exitCode = await main(process.argv.slice(2));
