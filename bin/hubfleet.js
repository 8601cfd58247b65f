#!/usr/bin/env node
// The CLI is compiled to lib/ and bundled into lib/cli/ by `npm ci` (prepare) or `npm run build:lib`
// (scripts/build-lib.mjs).
import { main } from '../lib/cli/hubfleet.js';

process.exitCode = await main(process.argv.slice(2));
