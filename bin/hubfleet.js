#!/usr/bin/env node
// The CLI is compiled to lib/ by `npm ci` (prepare) or `npm run build:lib`.
import { main } from '../lib/src/cli.js';

process.exitCode = await main(process.argv.slice(2));
