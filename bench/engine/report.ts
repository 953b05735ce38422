// One markdown table row per engine run (bench/engine.ts), in BENCHMARKS.md's engine table.
import type { CpuWindow } from './cpu.js';
import type { SimpleUpdate } from './pgbench.js';
import type { RunResults } from './results.js';

export type Row = {
  cfg: { adbots: number; chats: number; interval: number; workers: number; seconds: number; warmup: number; cold: boolean };
  label: string;
  results: RunResults;
  cpu: CpuWindow;
  pgbench: SimpleUpdate;
  calls: Record<string, number>;
  errors: number;
  load: number;
  logDir: string;
};

export const HEADER = [
  '| build | adbots × chats, interval | workers | first due | demand posts/s | sent posts/s (Telegram saw) | lag p50 / p99 / max (send p99) | duplicates: rows / extra sends | pairs < interval (min gap) | missed slots | worker CPU / post | PostgreSQL CPU / post (bench db + WAL/ckpt) | pgbench simple-update TPS | peak 5 s posts/s | drain (all due at once) posts/s ÷ TPS | errors logged | load 1 min |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
].join('\n');

const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
const s2 = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} s` : '–');
const ms = (total: number, posts: number) => (posts ? `${(total / posts).toFixed(2)} ms` : '–');

export function row({ cfg, label, results: r, cpu, pgbench, errors, load }: Row): string {
  const chats = cfg.adbots * cfg.chats;
  const missedPct = r.expectedSlots ? ((100 * r.missedSlots) / r.expectedSlots).toFixed(1) : '–';
  const drain = cfg.cold
    ? `${n0(r.drainPerSecond)} (${(r.drainPerSecond / pgbench.tps).toFixed(3)})${r.firstPosts < chats ? `, only ${n0(r.firstPosts)} of ${n0(chats)} chats reached` : ''}`
    : '–';
  return `| ${[
    label || 'this build',
    `${n0(cfg.adbots)} × ${cfg.chats}, ${cfg.interval} s`,
    String(cfg.workers),
    cfg.cold ? 'all at once' : 'spread over 1 interval',
    n0(r.demandPerSecond),
    `${n0(r.postsPerSecond)} (${n0(r.telegramPerSecond)})`,
    `${s2(r.lagP50)} / ${s2(r.lagP99)} / ${s2(r.lagMax)} (${s2(r.sendLagP99)})`,
    `${r.duplicateRows} / ${r.telegramExtra}`,
    `${n0(r.tooClose)} (${r.minGapSeconds === null ? '–' : `${r.minGapSeconds.toFixed(2)} s`})`,
    `${n0(r.missedSlots)} of ${n0(r.expectedSlots)} (${missedPct} %)`,
    ms(cpu.workerMs, r.sentInWindow),
    `${ms(cpu.pgOwnMs + cpu.pgSharedMs, r.sentInWindow)} (${ms(cpu.pgOwnMs, r.sentInWindow)} + ${ms(cpu.pgSharedMs, r.sentInWindow)})`,
    n0(pgbench.tps),
    n0(r.peak5sPerSecond),
    drain,
    String(errors),
    load.toFixed(2),
  ].join(' | ')} |`;
}
