#!/usr/bin/env node
// The published bin: runs the TypeScript CLI through tsx so `npx relance …` works from a clone.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/index.ts');
