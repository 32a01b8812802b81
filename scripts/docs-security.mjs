#!/usr/bin/env node
// Refreshes the generated part of docs/security.md (between its BEGIN/END
// markers) from `tsvisor syscalls --security`. `--check` exits 1 when the
// file is not current instead of writing it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const doc = join(root, 'docs', 'security.md');
const generated = execFileSync(process.execPath, [join(root, 'bin', 'run.js'), 'syscalls', '--security'], { encoding: 'utf8' });
const text = readFileSync(doc, 'utf8');
const begin = text.indexOf('<!-- BEGIN generated');
const endMarker = '<!-- END generated -->';
const end = text.indexOf(endMarker);
if (begin < 0 || end < begin) {
  process.stderr.write('docs/security.md: generated-section markers not found\n');
  process.exit(2);
}
const next = text.slice(0, begin) + generated.trimEnd() + '\n' + text.slice(end + endMarker.length).replace(/^\n/, '');
if (process.argv.includes('--check')) process.exit(next === text ? 0 : 1);
writeFileSync(doc, next);
