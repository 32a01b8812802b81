// How a run is shown: a live task list on a terminal (job › step, spinner,
// status, duration), plain prefixed lines otherwise (pipes, files, CI=true).
// Both write through a function given by the caller (the CLI hands one that
// writes fd 1), never to process.stdout.
import type { CiReporter, JobInfo, PipelineResult, RunInfo } from './events.js';
import type { JobResult, StepResult } from './model.js';
import { formatDuration, summaryTable } from './report.js';

export type Write = (text: string) => void;

const MARK: Record<string, string> = { success: '✓', failure: '✗', skipped: '-', cancelled: '⊘' };

/** `[job] line` for every line of output, and a line per step and job. */
export class PlainReporter implements CiReporter {
  constructor(
    private readonly write: Write,
    private readonly opts: { summary?: boolean } = {},
  ) {}

  runStarted(run: RunInfo): void {
    this.write(`tsvisor ci: ${run.pipeline.name}: ${run.jobs.length} job${run.jobs.length === 1 ? '' : 's'}, run ${run.runId}, logs in ${run.logDir}\n`);
  }

  jobStarted(job: JobInfo): void {
    this.write(`[${job.name}] job started\n`);
  }

  stepStarted(job: JobInfo, index: number, name: string): void {
    this.write(`[${job.name}] ▶ ${index + 1}. ${name}\n`);
  }

  output(job: JobInfo, _index: number, line: string): void {
    this.write(`[${job.name}] ${line}\n`);
  }

  stepFinished(job: JobInfo, index: number, r: StepResult): void {
    const what = r.outcome === r.conclusion ? r.outcome : `${r.outcome} (continue-on-error)`;
    this.write(`[${job.name}] ${MARK[r.outcome]} ${index + 1}. ${r.name}: ${what}${r.reason ? ` — ${r.reason}` : ''} (${formatDuration(r.durationMs)})\n`);
  }

  jobFinished(job: JobInfo, r: JobResult): void {
    this.write(`[${job.name}] job ${r.status}${r.reason ? ` — ${r.reason}` : ''} (${formatDuration(r.durationMs)})\n`);
  }

  note(text: string): void {
    this.write(`tsvisor ci: ${text}\n`);
  }

  runFinished(r: PipelineResult): void {
    if (this.opts.summary !== false) this.write('\n' + summaryTable(r));
  }
}

const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface LiveJob {
  info: JobInfo;
  state: 'queued' | 'running' | JobResult['status'];
  started: number;
  ended: number;
  step: string;
  stepStarted: number;
  reason?: string;
  steps: number;
  stepIndex: number;
}

/** A task list redrawn in place on a terminal (ANSI cursor movement). */
export class LiveReporter implements CiReporter {
  private jobs: LiveJob[] = [];
  private drawn = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly notes: string[] = [];
  /** The last lines of each job's running step, shown when it fails. */
  private readonly lastLines = new Map<string, string[]>();

  constructor(
    private readonly write: Write,
    private readonly columns: () => number = () => 100,
  ) {}

  private job(info: JobInfo): LiveJob {
    let j = this.jobs.find((x) => x.info.key === info.key);
    if (!j) {
      j = { info, state: 'queued', started: 0, ended: 0, step: '', stepStarted: 0, steps: 0, stepIndex: -1 };
      this.jobs.push(j);
    }
    return j;
  }

  runStarted(run: RunInfo): void {
    this.write(`tsvisor ci: ${run.pipeline.name} — run ${run.runId}, logs in ${run.logDir}\n`);
    for (const j of run.jobs) this.job(j);
    this.timer = setInterval(() => this.draw(), 100);
    this.draw();
  }

  jobStarted(info: JobInfo, steps: number): void {
    const j = this.job(info);
    j.state = 'running';
    j.started = Date.now();
    j.steps = steps;
  }

  output(info: JobInfo, _index: number, line: string): void {
    let l = this.lastLines.get(info.key);
    if (!l) this.lastLines.set(info.key, (l = []));
    l.push(line);
    if (l.length > 10) l.shift();
  }

  stepFinished(info: JobInfo, index: number, r: StepResult): void {
    const lines = this.lastLines.get(info.key) ?? [];
    this.lastLines.delete(info.key);
    if (r.outcome !== 'failure') return;
    const head = `${MARK.failure} ${info.name} › ${index + 1}. ${r.name}: ${r.reason ?? 'failed'}${r.conclusion === 'success' ? ' (continue-on-error)' : ''}`;
    this.notes.push([head, ...lines.map((l) => `    ${l}`), ...(r.log ? [`    log: ${r.log}`] : [])].join('\n'));
  }

  stepStarted(info: JobInfo, index: number, name: string): void {
    const j = this.job(info);
    j.step = name;
    j.stepIndex = index;
    j.stepStarted = Date.now();
  }

  jobFinished(info: JobInfo, r: JobResult): void {
    const j = this.job(info);
    j.state = r.status;
    j.ended = Date.now();
    j.reason = r.reason;
    if (!j.started) j.started = j.ended - r.durationMs;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  private draw(): void {
    const cols = Math.max(40, this.columns());
    const now = Date.now();
    this.frame = (this.frame + 1) % SPIN.length;
    const lines: string[] = [];
    for (const j of this.jobs) {
      let line: string;
      if (j.state === 'queued') line = `  · ${j.info.name}  queued`;
      else if (j.state === 'running') {
        const step = j.step ? ` › ${j.stepIndex + 1}/${j.steps} ${j.step}` : '';
        line = `  ${SPIN[this.frame]} ${j.info.name}${step}  ${formatDuration(now - (j.stepStarted || j.started))}`;
      } else line = `  ${MARK[j.state]} ${j.info.name}  ${j.state}  ${formatDuration(j.ended - j.started)}${j.reason ? `  ${j.reason}` : ''}`;
      lines.push(line.length > cols - 1 ? line.slice(0, cols - 2) + '…' : line);
    }
    let out = this.drawn ? `\x1b[${this.drawn}A` : '';
    for (const n of this.notes.splice(0)) for (const l of n.split('\n')) out += `\r\x1b[2K${l}\n`;
    for (const l of lines) out += `\r\x1b[2K${l}\n`;
    out += '\x1b[J';
    this.drawn = lines.length;
    this.write(out);
  }

  runFinished(r: PipelineResult): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.draw();
    this.write('\n' + summaryTable(r));
  }
}
