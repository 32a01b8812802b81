#!/usr/bin/env node
// Enforces the layer rule of docs/architecture.md: a layer imports only the
// layers below it (or itself); syscall numbers are known only where the
// filter is compiled and where the syscall table is built; the native addon
// is known only to src/platform. Exits non-zero with one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/**
 * Bottom to top. sandbox.ts is a layer of its own; index.ts (the public API)
 * sits above the products it re-exports (runPipeline from ci) and below the CLI.
 * image (OCI image layouts, the layer cache) uses fs's whiteout names and the
 * platform's fd-relative host calls, and is below everything that runs images.
 */
export const LAYERS = [['abi'], ['platform'], ['vfs'], ['kernel'], ['fs'], ['image'], ['net'], ['syscalls'], ['sandbox.ts'], ['oci', 'ci'], ['index.ts'], ['cli']];

const NUMBERS = [/^abi\/arch\/index\.ts$/, /^abi\/arch\/[^/]+\/syscalls\.ts$/];
const NUMBERS_ALLOWED = [/^abi\/arch\//, /^platform\/policy\.ts$/, /^syscalls\//, /^cli\//];
const NATIVE = /^platform\/native\.ts$/;
// Node's stdio streams make a shared pipe non-blocking for the guest too
// (src/platform/diag.ts); only commands that never run a sandbox may use
// them, and the terminal relay (host-terminal.ts), whose guests have a
// terminal of their own instead.
const STDIO = /process\.std(?:in|out|err)\b/;
const STDIO_ALLOWED = [/^cli\/commands\/syscalls\.ts$/, /^platform\/host-terminal\.ts$/];
const NATIVE_ALLOWED = /^platform\//;

function layerOf(rel) {
  const top = rel.split('/')[0];
  return LAYERS.findIndex((l) => l.includes(top));
}

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const problems = [];
for (const file of files(src)) {
  const rel = relative(src, file);
  const from = layerOf(rel);
  if (from < 0) {
    problems.push(`${rel}: not in any layer (add its folder to LAYERS in scripts/lint-layers.mjs and docs/architecture.md)`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  if (!STDIO_ALLOWED.some((r) => r.test(rel))) {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    if (STDIO.test(code)) problems.push(`${rel}: uses process.stdin/stdout/stderr, which turn the guest's shared stdio non-blocking; use platform/diag.ts`);
  }
  for (const m of text.matchAll(/^(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    const target = relative(src, resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
    const to = layerOf(target);
    if (to > from) problems.push(`${rel}: imports ${target} from a higher layer (${LAYERS[to].join('/')} above ${LAYERS[from].join('/')})`);
    if (NUMBERS.some((r) => r.test(target)) && !NUMBERS_ALLOWED.some((r) => r.test(rel))) {
      problems.push(`${rel}: knows syscall numbers (${target}); only the filter compiler and src/syscalls may`);
    }
    if (NATIVE.test(target) && !NATIVE_ALLOWED.test(rel)) problems.push(`${rel}: imports the native addon; only src/platform may`);
  }
}
if (problems.length) {
  for (const p of problems) console.error(`lint-layers: ${p}`);
  process.exit(1);
}
console.log(`lint-layers: ${files(src).length} files, layers respected`);
