// Reports of a finished (or cancelled) run: JUnit XML (one testsuite per job,
// one testcase per step), JSON (the PipelineResult), and the summary table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PipelineResult } from './events.js';

export type ReportFormat = 'junit' | 'json';

export interface ReportSpec {
  format: ReportFormat;
  file: string;
}

/** Parses `junit:FILE` or `json:FILE`. */
export function parseReportSpec(s: string): ReportSpec {
  const m = /^(junit|json):(.+)$/.exec(s);
  if (!m) throw new Error(`--report ${s}: expected junit:FILE or json:FILE`);
  return { format: m[1] as ReportFormat, file: m[2]! };
}

function xml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function junitReport(r: PipelineResult): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const steps = r.jobs.flatMap((j) => j.steps);
  const failures = steps.filter((s) => s.outcome === 'failure').length + r.jobs.filter((j) => j.status === 'failure' && !j.steps.some((s) => s.outcome === 'failure')).length;
  out.push(`<testsuites name="${xml(r.name)}" tests="${steps.length}" failures="${failures}" time="${(r.durationMs / 1000).toFixed(3)}">`);
  for (const j of r.jobs) {
    const f = j.steps.filter((s) => s.outcome === 'failure').length;
    const sk = j.steps.filter((s) => s.outcome === 'skipped' || s.outcome === 'cancelled').length;
    out.push(`  <testsuite name="${xml(j.name)}" tests="${j.steps.length}" failures="${f}" skipped="${sk}" time="${(j.durationMs / 1000).toFixed(3)}">`);
    out.push(`    <properties><property name="status" value="${j.status}"/>${j.reason ? `<property name="reason" value="${xml(j.reason)}"/>` : ''}</properties>`);
    j.steps.forEach((s, i) => {
      const open = `    <testcase classname="${xml(j.name)}" name="${xml(`${i + 1}. ${s.name}`)}" time="${(s.durationMs / 1000).toFixed(3)}"`;
      if (s.outcome === 'failure') {
        out.push(`${open}>`);
        out.push(`      <failure message="${xml(s.reason ?? 'failed')}">${xml(s.log ? `log: ${s.log}` : '')}</failure>`);
        if (s.conclusion === 'success') out.push('      <system-out>continue-on-error: the job went on</system-out>');
        out.push('    </testcase>');
      } else if (s.outcome === 'skipped' || s.outcome === 'cancelled') {
        out.push(`${open}><skipped message="${xml(s.reason ?? s.outcome)}"/></testcase>`);
      } else {
        out.push(`${open}/>`);
      }
    });
    if (j.status === 'failure' && !j.steps.some((s) => s.outcome === 'failure')) {
      out.push(`    <testcase classname="${xml(j.name)}" name="job"><failure message="${xml(j.reason ?? 'failed')}"/></testcase>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

export function jsonReport(r: PipelineResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}

export function writeReport(spec: ReportSpec, r: PipelineResult): void {
  mkdirSync(dirname(spec.file), { recursive: true });
  writeFileSync(spec.file, spec.format === 'junit' ? junitReport(r) : jsonReport(r));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

const MARK: Record<string, string> = { success: '✓', failure: '✗', skipped: '-', cancelled: '⊘' };

/** The summary table: one row per job, then the verdict. */
export function summaryTable(r: PipelineResult): string {
  const rows = r.jobs.map((j) => [`${MARK[j.status]} ${j.name}`, j.status, formatDuration(j.durationMs), j.reason ?? '']);
  const head = ['job', 'status', 'time', 'note'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd();
  const passed = r.jobs.filter((j) => j.status === 'success').length;
  const verdict = r.cancelled ? 'cancelled' : r.ok ? 'passed' : 'failed';
  return [
    line(head),
    ...rows.map(line),
    '',
    `${verdict}: ${passed}/${r.jobs.length} jobs passed in ${formatDuration(r.durationMs)} — logs: ${r.logDir}`,
    ...r.reports.map((f) => `report: ${f}`),
  ].join('\n') + '\n';
}
