// Every environment variable of SPEC §7, parsed once. A wrong value stops start-up with
// one line naming the variable; secrets that are unset are generated once into DATA_DIR.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());
const flag = z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0']).optional());

const envSchema = z
  .object({
    PORT: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ error: 'must be a port number (0-65535)' })
        .int('must be a port number (0-65535)')
        .min(0, 'must be a port number (0-65535)')
        .max(65535, 'must be a port number (0-65535)')
        .default(3000),
    ),
    HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
    // Behind a reverse proxy, trust X-Forwarded-For for the client address (rate limits), but
    // only from the listed proxies: trusting every peer let a client pick its own address and
    // rotate past the login lockout. Off by default.
    TRUST_PROXY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .optional()
        .transform((v, ctx) => {
          const r = parseTrustProxy(v);
          if (typeof r === 'string') {
            ctx.addIssue({ code: 'custom', message: r });
            return z.NEVER;
          }
          return r;
        }),
    ),
    PUBLIC_URL: optionalUrl,
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
        .optional(),
    ),
    // Connections each process keeps to PostgreSQL (api and worker each have their own pool).
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    NOWPAYMENTS_API_KEY: optionalString,
    // Copied from the dashboard, a secret often brings a space or newline along; NOWPayments'
    // own SDK and PHP example trim it, and an untrimmed one fails every IPN's signature.
    NOWPAYMENTS_IPN_SECRET: z.preprocess((v) => (typeof v === 'string' ? emptyToUndefined(v.trim()) : v), z.string().optional()),
    NOWPAYMENTS_API_URL: z.preprocess(emptyToUndefined, z.url().default('https://api.nowpayments.io/v1')),
    // Fulfil on `confirmed` as well as `finished` (operator opt-in, SPEC §2.4).
    NOWPAYMENTS_FULFIL_ON_CONFIRMED: flag,
    // An order counts as paid when what arrived is short of pay_amount by at most this much
    // (wallets deduct network fees; BTCPay calls it "payment tolerance").
    PAYMENT_UNDERPAID_TOLERANCE_PERCENT: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(10).default(1)),
    NOWPAYMENTS_PAYOUT_CURRENCY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9]{2,20}$/, 'must be a coin code such as usdttrc20')
        .optional(),
    ),
    TELEGRAM_API_ROOT: z.preprocess(emptyToUndefined, z.url().default('https://api.telegram.org')),
    // How the senders' updates are read: auto = a webhook when PUBLIC_URL is https, else getUpdates.
    TELEGRAM_UPDATES: z.preprocess(emptyToUndefined, z.enum(['auto', 'polling', 'webhook', 'off']).default('auto')),
    SMTP_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
        .optional(),
    ),
    MAIL_FROM: z.preprocess(emptyToUndefined, z.string().default('HQAdz <no-reply@localhost>')),
    JWT_SECRET: z.preprocess(emptyToUndefined, z.string().min(32).optional()),
    ENCRYPTION_KEY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')
        .optional(),
    ),
    ADMIN_ACCESS_CODE: z.preprocess(emptyToUndefined, z.string().min(16).optional()),
    EXPIRY_GRACE_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().min(0).default(3)),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    // Requests per minute per IP (and per email) for POST /api/payment/create.
    RATE_LIMIT_CHECKOUT_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(10)),
    // IPN deliveries per minute per client address: far above a provider's retries, below a flood.
    RATE_LIMIT_WEBHOOK_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(600)),
    // Failed login attempts per 15 minutes per IP before 429.
    RATE_LIMIT_LOGIN_FAILURES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(10)),
    // Seconds between job polls; tests lower it so a job runs within a second.
    JOB_POLL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.5).default(2)),
    // Bearer token GET /metrics asks for; unset: the metrics are open (keep the port private).
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16).optional()),
    // `errors`: a request log line only for 4xx/5xx and slow requests, so the start-up banner stays readable.
    LOG_REQUESTS: z.preprocess(emptyToUndefined, z.enum(['errors', 'all']).default('errors')),
    // Where a worker-only process serves /metrics and health (an API process serves them on PORT).
    // Its own variable, so a worker started beside the API on one host never takes the API's port.
    WORKER_METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(9464)),
  })
  .superRefine((env, ctx) => {
    if (env.NOWPAYMENTS_API_KEY && !env.NOWPAYMENTS_IPN_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['NOWPAYMENTS_IPN_SECRET'],
        message: 'is required when NOWPAYMENTS_API_KEY is set',
      });
    }
  });

/** proxy-addr's names for address ranges, accepted as list entries. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: unset/false → trust no proxy; a comma-separated list of IPs, CIDRs or the names
 * loopback/linklocal/uniquelocal → trust X-Forwarded-For only from those peers. `true` keeps
 * working for a proxy on the same host but means `loopback`, never "any address".
 */
function parseTrustProxy(value: string | undefined): false | string[] | string {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return ['loopback'];
  const entries = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (NAMED_RANGES.has(entry)) continue;
    const [ip, bits, extra] = entry.split('/');
    const family = isIP(ip ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!family || !bitsOk || extra !== undefined) {
      return `"${entry}" is not an IP address or CIDR range; list your proxies' addresses, e.g. 127.0.0.1,10.0.0.0/8 (or false)`;
    }
  }
  if (entries.length === 0) return 'list the addresses of your reverse proxies, e.g. 127.0.0.1,10.0.0.0/8 (or false)';
  return entries;
}

export type Config = {
  port: number;
  host: string;
  /** The proxies whose X-Forwarded-For is believed (IPs, CIDRs, proxy-addr range names), or none. */
  trustProxy: false | string[];
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** DATABASE_POOL_SIZE: connections of this process's pool (PostgreSQL only). */
  databasePoolSize: number;
  database: 'embedded' | 'postgres';
  testMode: boolean;
  nowpayments: {
    apiKey: string | undefined;
    ipnSecret: string;
    apiUrl: string;
    fulfilOnConfirmed: boolean;
    /** Short of pay_amount by at most this percentage still pays the order (default 1). */
    underpaidTolerancePercent: number;
    /** The merchant's payout coin: `/min-amount` is asked for the pair pay coin → this. */
    payoutCurrency: string | undefined;
  };
  telegramApiRoot: string;
  /** How sender bots' updates are read (TELEGRAM_UPDATES, `auto` resolved against PUBLIC_URL). */
  telegramUpdates: 'polling' | 'webhook' | 'off';
  smtpUrl: string | undefined;
  mailFrom: string;
  jwtSecret: string;
  encryptionKey: Buffer;
  adminAccessCode: string | undefined;
  expiryGraceDays: number;
  logLevel: string;
  jobPollSeconds: number;
  rateLimits: { checkoutPerMinute: number; loginFailures: number; webhookPerMinute: number };
  metricsToken: string | undefined;
  logRequests: 'errors' | 'all';
  workerMetricsPort: number;
};

export class ConfigError extends Error {}

type Secrets = { jwtSecret: string; encryptionKey: string; sandboxIpnSecret: string };

const secretsSchema = z.object({
  jwtSecret: z.string().min(32),
  encryptionKey: z.string().regex(/^[0-9a-fA-F]{64}$/),
  sandboxIpnSecret: z.string().min(1),
});

/**
 * Secrets generated on first start and kept in DATA_DIR, so restarts keep sessions and tokens.
 * Created only when the file does not exist: a damaged or unreadable file stops start-up and
 * is left as it is, since a new ENCRYPTION_KEY would make every stored sender token unreadable.
 */
function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  const existing = readSecretsFile(file);
  if (existing) return existing;
  const secrets: Secrets = {
    jwtSecret: randomBytes(32).toString('hex'),
    encryptionKey: randomBytes(32).toString('hex'),
    sandboxIpnSecret: randomBytes(32).toString('hex'),
  };
  mkdirSync(dataDir, { recursive: true });
  try {
    // `wx`: never overwrite; two processes starting together keep the first one's secrets.
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readSecretsFile(file) ?? secrets;
    throw new ConfigError(`Cannot create ${file}: ${(err as Error).message}`);
  }
  return secrets;
}

/** The secrets in `file`, or null when it does not exist; anything else wrong with it is a ConfigError. */
function readSecretsFile(file: string): Secrets | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`Cannot read ${file}: ${(err as Error).message}. Fix its permissions; it holds ENCRYPTION_KEY and must not be replaced.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = secretsSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      `${file} is damaged (not the JSON of jwtSecret, encryptionKey and sandboxIpnSecret). It was left untouched: restore it from a backup, or set JWT_SECRET and ENCRYPTION_KEY. Deleting it makes a new ENCRYPTION_KEY, and the stored sender tokens cannot be decrypted any more.`,
    );
  }
  return parsed.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = env[name];
    throw new ConfigError(`Invalid ${name}${value === undefined ? '' : `=${JSON.stringify(value)}`}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const secrets = loadOrCreateSecrets(dataDir);
  const testMode = !e.NOWPAYMENTS_API_KEY;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY ?? false,
    publicUrl,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    database: e.DATABASE_URL ? 'postgres' : 'embedded',
    testMode,
    nowpayments: {
      apiKey: e.NOWPAYMENTS_API_KEY,
      ipnSecret: e.NOWPAYMENTS_IPN_SECRET ?? secrets.sandboxIpnSecret,
      apiUrl: e.NOWPAYMENTS_API_URL.replace(/\/$/, ''),
      fulfilOnConfirmed: e.NOWPAYMENTS_FULFIL_ON_CONFIRMED === 'true' || e.NOWPAYMENTS_FULFIL_ON_CONFIRMED === '1',
      payoutCurrency: e.NOWPAYMENTS_PAYOUT_CURRENCY,
      underpaidTolerancePercent: e.PAYMENT_UNDERPAID_TOLERANCE_PERCENT,
    },
    telegramApiRoot: e.TELEGRAM_API_ROOT.replace(/\/$/, ''),
    telegramUpdates: e.TELEGRAM_UPDATES === 'auto' ? (publicUrl.startsWith('https://') ? 'webhook' : 'polling') : e.TELEGRAM_UPDATES,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    jwtSecret: e.JWT_SECRET ?? secrets.jwtSecret,
    encryptionKey: Buffer.from(e.ENCRYPTION_KEY ?? secrets.encryptionKey, 'hex'),
    adminAccessCode: e.ADMIN_ACCESS_CODE,
    expiryGraceDays: e.EXPIRY_GRACE_DAYS,
    logLevel: e.LOG_LEVEL,
    jobPollSeconds: e.JOB_POLL_SECONDS,
    rateLimits: {
      checkoutPerMinute: e.RATE_LIMIT_CHECKOUT_PER_MINUTE,
      loginFailures: e.RATE_LIMIT_LOGIN_FAILURES,
      webhookPerMinute: e.RATE_LIMIT_WEBHOOK_PER_MINUTE,
    },
    metricsToken: e.METRICS_TOKEN,
    logRequests: e.LOG_REQUESTS,
    workerMetricsPort: e.WORKER_METRICS_PORT,
  };
}
