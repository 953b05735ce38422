// Hostile battery (issue 7): the built app under forged, huge and nested IPNs at a fixed rate,
// with legitimate API traffic measured alongside; shuffled and duplicated signed IPNs; and a
// checkout stampede on a small stock. Answers are counted, then the database is checked.
//
// Usage: npx tsx bench/hostile.ts [forgedPerSecond=20] [attackSeconds=20] [--no-build] [--no-pgbench]
//   Runs `npm run build`, creates a fresh database on PostgreSQL (BENCH_PG_URL, default
//   postgres://postgres@127.0.0.1:5432/postgres; dropped at the end), starts `node dist/main.js api`
//   and `node dist/main.js worker` in real NOWPayments mode against test/fakes/nowpayments.ts.
//   Phases: baselines (Fastify hello-world and the app's /api/health under autocannon, pgbench);
//   (b) the API stream alone (GET /api/health and /api/products, 20/s); (a) each forged kind
//   once on the quiet API; (a)+(b) forged IPNs at the rate, round robin over the kinds, while
//   the stream runs; recovery (the API is killed and restarted if it still does not answer 20 s
//   after the attack); (c) signed IPNs for 10 orders, waiting/confirming/finished each sent 3×,
//   shuffled; (d) 500 concurrent checkouts for Bronze on 10 senders, then every invoice paid.
//   Requests time out at 20 s (60 s in (d)). Both rate limits are raised through the env.
//   Prints Markdown tables (stdout) for BENCHMARKS.md, progress on stderr; exits 1 when a
//   correctness check fails (an accepted forgery, a double fulfilment, an oversell), not on
//   slowness or 5xx, which are the figures it records.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { autocannon, helloWorld, pgbench } from './hostile/baselines.js';
import { forgedKinds } from './hostile/forged.js';
import { checkoutMany, ipnFor } from './hostile/orders.js';
import { checkForgeries, replayShuffled, stockRace } from './hostile/phases.js';
import { type Probe, render, type Stream } from './hostile/report.js';
import { addSenders, freePort, killEverythingNow, REPO_ROOT, type Stack, startStack } from './hostile/stack.js';
import { atRate, is5xx, isAccepted, ms, send, tally } from './hostile/traffic.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
const FORGED_PER_SECOND = Number(args[0] ?? 20);
const ATTACK_SECONDS = Number(args[1] ?? 20);
const QUIET_SECONDS = 10;
const API_PER_SECOND = 20;
const REPLAY_ORDERS = 10;
const RACE_ATTEMPTS = 500;
const RACE_STOCK = 10;
const tag = Date.now().toString(36);

function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?';
  const pgv = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qtAc', 'show server_version', 'postgres']).toString().trim();
  const mem = Math.round(os.totalmem() / 2 ** 30);
  return `${os.availableParallelism()} vCPU ${cpu}, ${mem} GiB RAM, Node.js ${process.version}, PostgreSQL ${pgv}`;
}
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

/** The legitimate stream: GET /api/health and GET /api/products in turn, at a fixed rate. */
async function apiStream(stack: Stack, seconds: number): Promise<Stream> {
  const { results } = await atRate(API_PER_SECOND, seconds, async (i) => {
    const path = i % 2 === 0 ? '/api/health' : '/api/products';
    return { path, outcome: await send({ url: `${stack.base}${path}` }) };
  });
  const of = (p?: string) => tally(results.filter((r) => !p || r.path === p).map((r) => r.outcome));
  return { all: of(), health: of('/api/health'), products: of('/api/products') };
}

async function main(): Promise<number> {
  const started = Date.now();
  const loadBefore = load();
  console.error(`hostile battery: ${FORGED_PER_SECOND} forged/s for ${ATTACK_SECONDS} s; load ${load()}`);
  if (!flags.has('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });

  console.error('baselines: hello-world, pgbench');
  const hello = await helloWorld(await freePort());
  const pgb = flags.has('--no-pgbench') ? null : await pgbench();

  console.error('starting api + worker on a fresh database');
  const stack = await startStack({ port: await freePort() });
  const failures: string[] = [];
  try {
    const appHealth = await autocannon(`${stack.base}/api/health`);
    await addSenders(stack, `${tag}_setup`, 2 + REPLAY_ORDERS);
    const victims = await checkoutMany(stack, `victim.${tag}`, 2);
    const replayInvoices = await checkoutMany(stack, `replay.${tag}`, REPLAY_ORDERS);

    console.error(`(b) API stream alone, ${QUIET_SECONDS} s`);
    const quiet = await apiStream(stack, QUIET_SECONDS);

    console.error('(a) each forged kind once, alone');
    const kinds = forgedKinds(ipnFor(stack, victims[0]!, 'finished'));
    // The victims' provider record goes back to unpaid: only a forgery could pay them now.
    for (const v of victims) Object.assign(stack.fake.payments.get(v.paymentId)!, { payment_status: 'waiting', actually_paid: 0 });
    const probes: Probe[] = [];
    for (const k of kinds) {
      const outcome = await send({ url: `${stack.base}/api/payment/webhook`, method: 'POST', headers: k.headers, body: k.body });
      let recovery = '';
      if (outcome.status === 'timeout' || is5xx(outcome.status)) {
        // The server may still be busy with it: give it time, then restart it, so the next kind starts on a quiet API.
        const t0 = performance.now();
        if (await stack.waitHealthy(30_000)) recovery = `API answered again after ${ms(performance.now() - t0)}`;
        else {
          await stack.restartApi();
          recovery = 'API restarted (no answer for 30 s)';
        }
      }
      probes.push({ kind: k.name, outcome, recovery });
    }

    console.error(`(a)+(b) forged IPNs at ${FORGED_PER_SECOND}/s for ${ATTACK_SECONDS} s with the API stream`);
    const attackStarted = performance.now();
    const [forged, attacked] = await Promise.all([
      atRate(FORGED_PER_SECOND, ATTACK_SECONDS, async (i) => {
        const k = kinds[i % kinds.length]!;
        return { kind: k.name, outcome: await send({ url: `${stack.base}/api/payment/webhook`, method: 'POST', headers: k.headers, body: k.body }) };
      }),
      apiStream(stack, ATTACK_SECONDS),
    ]);
    const attackWall = (performance.now() - attackStarted) / 1000;

    const recoveryStarted = performance.now();
    const recovered = await stack.waitHealthy(20_000);
    const recoverySeconds = (performance.now() - recoveryStarted) / 1000;
    if (!recovered) {
      console.error('the API does not answer 20 s after the attack: restarting it');
      await stack.restartApi();
    }

    console.error(`(c) ${REPLAY_ORDERS} orders, waiting/confirming/finished each 3×, shuffled`);
    const replay = await replayShuffled(stack, replayInvoices, 7);

    console.error(`(d) ${RACE_ATTEMPTS} concurrent checkouts, ${RACE_STOCK} senders in stock`);
    const race = await stockRace(stack, RACE_ATTEMPTS, RACE_STOCK, tag);
    const forgery = await checkForgeries(stack, victims, replay.ipns.n + race.paid.n);

    const afterAttack = recovered
      ? `answered ${recoverySeconds.toFixed(1)} s after the last forged answer`
      : 'no answer 20 s after the attack: killed and restarted';
    console.log(
      render({
        title: `Hostile battery, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (\`${['npx tsx bench/hostile.ts', ...process.argv.slice(2)].join(' ')}\`)`,
        machine: machine(),
        loadBefore: loadBefore,
        loadAfter: load(),
        seconds: Math.round((Date.now() - started) / 1000),
        attackSeconds: ATTACK_SECONDS,
        attackWall,
        kinds: kinds.map((k) => k.name),
        probes,
        forged: forged.results,
        skipped: forged.skipped,
        quiet,
        attacked,
        afterAttack,
        forgery,
        replay,
        race,
        hello,
        appHealth,
        pgb,
      }),
    );
    const acceptedForged = forged.results.filter((f) => isAccepted(f.outcome.status)).length;
    if (acceptedForged > 0 || forgery.victimsPaid > 0 || forgery.signedEvents > forgery.legitSigned) failures.push('a forged IPN was accepted');
    if (replay.fulfilledOnce !== replay.orders || replay.refundedAndFulfilled > 0) failures.push('shuffled IPNs: not every order fulfilled exactly once');
    if (race.oversold > 0 || race.problems.length) failures.push('checkout stampede oversold or broke the stock');
    for (const p of [...replay.problems, ...race.problems]) console.error(`  ${p}`);
  } finally {
    console.error(`logs: ${stack.logDir}`);
    await stack.stop();
  }
  // 5xx and slowness are the figures this battery records, not its failures; broken invariants are.
  for (const f of failures) console.error(`CHECK FAILED: ${f}`);
  return failures.length ? 1 : 0;
}

// The run is bounded by per-request timeouts; this is the backstop for anything else.
const watchdog = setTimeout(() => {
  console.error('hostile battery: over 8 minutes, giving up');
  killEverythingNow();
  process.exit(2);
}, 8 * 60_000);
watchdog.unref();
process.once('SIGINT', () => {
  killEverythingNow();
  process.exit(130);
});

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
