// The Markdown that bench/hostile.ts prints, ready to paste into BENCHMARKS.md.
import type { Autocannon, Pgbench } from './baselines.js';
import type { ForgeryCheck, ReplayResult, StockRaceResult } from './phases.js';
import { formatCounts, is5xx, isAccepted, lat, ms, type Outcome, type Tally, tally } from './traffic.js';

export type Probe = { kind: string; outcome: Outcome; recovery: string };
export type Stream = { all: Tally; health: Tally; products: Tally };

export type Results = {
  title: string;
  machine: string;
  loadBefore: string;
  loadAfter: string;
  seconds: number;
  attackSeconds: number;
  attackWall: number;
  kinds: string[];
  probes: Probe[];
  forged: { kind: string; outcome: Outcome }[];
  skipped: number;
  quiet: Stream;
  attacked: Stream;
  afterAttack: string;
  forgery: ForgeryCheck;
  replay: ReplayResult;
  race: StockRaceResult;
  hello: Autocannon;
  appHealth: Autocannon;
  pgb: Pgbench | null;
};

const timeouts = (t: Tally) => t.counts.timeout ?? 0;
const errors = (t: Tally) => Object.entries(t.counts).reduce((n, [k, v]) => n + (k.startsWith('error') ? v : 0), 0);
const fivexx = (t: Tally) => Object.entries(t.counts).reduce((n, [k, v]) => n + (Number(k) >= 500 ? v : 0), 0);
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

export function render(r: Results): string {
  const outcomes = r.forged.map((f) => f.outcome);
  const ft = tally(outcomes);
  const { quiet, attacked, replay, race, forgery } = r;
  const out: string[] = [];
  out.push(`### ${r.title}`, '');
  out.push(`Machine: ${r.machine}. Load (\`uptime\`) before: ${r.loadBefore}; after: ${r.loadAfter}. The run took ${r.seconds} s.`, '');
  out.push('| measure | value |', '|---|---|');
  out.push(row(['forged IPNs accepted (2xx)', `**${outcomes.filter((o) => isAccepted(o.status)).length} of ${ft.n}**`]));
  out.push(row(['forged IPNs answered 5xx', `**${outcomes.filter((o) => is5xx(o.status)).length} of ${ft.n}**`]));
  out.push(row(['forged IPNs unanswered in 20 s / connection errors', `${timeouts(ft)} / ${errors(ft)} of ${ft.n}`]));
  // A connection closed mid-upload is how an over-limit body is refused (413, then close): not counted here.
  const alone5xx = r.probes.filter((p) => is5xx(p.outcome.status) || p.outcome.status === 'timeout');
  out.push(
    row([
      'forged kinds sent alone: 5xx or no answer in 20 s',
      `**${alone5xx.length} of ${r.probes.length}**${alone5xx.length ? ` (${alone5xx.map((p) => `${p.kind}: ${p.outcome.status}`).join('; ')})` : ''}`,
    ]),
  );
  out.push(row(['forged answer p50 / p99 / max', `${lat(ft, 'p50')} / ${lat(ft, 'p99')} / ${lat(ft, 'max')}`]));
  out.push(
    row([
      'forgeries that paid an order / passed the signature (database)',
      `${forgery.victimsPaid} / ${Math.max(0, forgery.signedEvents - forgery.legitSigned)}`,
    ]),
  );
  out.push(row([`API p50 / p99, quiet (${quiet.all.n} requests)`, `${lat(quiet.all, 'p50')} / ${lat(quiet.all, 'p99')}`]));
  out.push(row([`API p50 / p99, under attack (${attacked.all.n} requests)`, `${lat(attacked.all, 'p50')} / ${lat(attacked.all, 'p99')}`]));
  out.push(
    row([
      'API under attack: not 200 / unanswered in 20 s',
      `${attacked.all.n - (attacked.all.counts['200'] ?? 0)} / ${timeouts(attacked.all)} of ${attacked.all.n}`,
    ]),
  );
  out.push(row([`attack phase wall time (${r.attackSeconds} s of sending)`, `${r.attackWall.toFixed(1)} s`]));
  out.push(row(['API after the attack', r.afterAttack]));
  out.push(
    row([
      'shuffled signed IPNs: orders fulfilled exactly once',
      `${replay.fulfilledOnce} of ${replay.orders} (twice: ${replay.fulfilledTwice}, refunded and fulfilled: ${replay.refundedAndFulfilled}, payment not finished: ${replay.paymentNotFinished})`,
    ]),
  );
  out.push(row(['shuffled signed IPNs: answers', `${formatCounts(replay.ipns.counts)}, p99 ${lat(replay.ipns, 'p99')}`]));
  out.push(row([`checkout stampede: ${race.attempts} at once on ${race.stockUnits} senders`, formatCounts(race.checkouts.counts)]));
  out.push(row(['checkout stampede: 5xx / p50 / p99', `${fivexx(race.checkouts)} / ${lat(race.checkouts, 'p50')} / ${lat(race.checkouts, 'p99')}`]));
  out.push(
    row([
      'oversold',
      `**${race.oversold}** (invoices ${race.invoices}, senders reserved ${race.sendersReserved}; all paid: fulfilled ${race.fulfilled}, back-ordered ${race.backordered})`,
    ]),
  );
  const ac = (a: Autocannon) => `${a.reqPerSec.toLocaleString('en')} req/s, p50 ${a.p50} ms, p99 ${a.p99} ms`;
  out.push(row([`baseline: Fastify hello-world, autocannon -c ${r.hello.connections} ${r.hello.seconds} s`, ac(r.hello)]));
  out.push(row(['baseline: the app, GET /api/health, same load', ac(r.appHealth)]));
  if (r.pgb)
    out.push(
      row([
        `baseline: pgbench tpcb-like -c ${r.pgb.clients} ${r.pgb.seconds} s`,
        `${r.pgb.tps.toLocaleString('en')} tps, p50 ${ms(r.pgb.p50)}, p99 ${ms(r.pgb.p99)}`,
      ]),
    );
  out.push('');
  out.push('| forged kind | alone: answer, time, then | under attack: n | answers | p50 | p99 | max |', '|---|---|---|---|---|---|---|');
  for (const kind of r.kinds) {
    const p = r.probes.find((x) => x.kind === kind);
    const t = tally(r.forged.filter((f) => f.kind === kind).map((f) => f.outcome));
    const alone = p ? `${p.outcome.status}, ${ms(p.outcome.ms)}${p.recovery ? `, ${p.recovery}` : ''}` : '-';
    out.push(row([kind, alone, t.n, formatCounts(t.counts), lat(t, 'p50'), lat(t, 'p99'), lat(t, 'max')]));
  }
  out.push('');
  out.push('| API stream (20 req/s) | n | answers | p50 | p99 | max |', '|---|---|---|---|---|---|');
  for (const [label, t] of [
    ['quiet: /api/health', quiet.health],
    ['quiet: /api/products', quiet.products],
    ['under attack: /api/health', attacked.health],
    ['under attack: /api/products', attacked.products],
  ] as const) {
    out.push(row([label, t.n, formatCounts(t.counts), lat(t, 'p50'), lat(t, 'p99'), lat(t, 'max')]));
  }
  if (r.skipped) out.push('', `(${r.skipped} forged requests were not sent: 1,000 were already in flight.)`);
  return out.join('\n');
}
