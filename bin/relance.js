#!/usr/bin/env node
// The published bin: runs the compiled command line (dist/cli/relance.mjs), building it first
// when it is missing or older than src/ (see scripts/build-cli.mjs). No TypeScript loader here.
import { pathToFileURL } from 'node:url';
import { ensureCliBuild } from '../scripts/build-cli.mjs';

process.setSourceMapsEnabled(true);
const bundle = await ensureCliBuild();
await import(pathToFileURL(bundle).href);
