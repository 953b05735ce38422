#!/usr/bin/env node
// `npx hqadz`: the bundled CLI (dist/cli.js, made by `npm run build`), or on a clone that
// has not been built yet, the TypeScript source through tsx (a dev dependency).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const source = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  if (!existsSync(tsx)) {
    console.error('hqadz: dist/cli.js is missing; run "npm run build" first');
    process.exit(1);
  }
  const child = spawn(tsx, [source, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
