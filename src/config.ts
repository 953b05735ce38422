// Every environment variable of SPEC §7, parsed once. A wrong value stops start-up with
// one line naming the variable; secrets that are unset are generated once into DATA_DIR.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    // Behind a reverse proxy, trust X-Forwarded-For for the client address (rate limits).
    // Off by default: a directly reachable server must not let clients pick their own IP.
    TRUST_PROXY: flag,
    PUBLIC_URL: optionalUrl,
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
        .optional(),
    ),
    NOWPAYMENTS_API_KEY: optionalString,
    NOWPAYMENTS_IPN_SECRET: optionalString,
    NOWPAYMENTS_API_URL: z.preprocess(emptyToUndefined, z.url().default('https://api.nowpayments.io/v1')),
    // Fulfil on `confirmed` as well as `finished` (operator opt-in, SPEC §2.4).
    NOWPAYMENTS_FULFIL_ON_CONFIRMED: flag,
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

export type Config = {
  port: number;
  host: string;
  trustProxy: boolean;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  database: 'embedded' | 'postgres';
  testMode: boolean;
  nowpayments: {
    apiKey: string | undefined;
    ipnSecret: string;
    apiUrl: string;
    fulfilOnConfirmed: boolean;
    /** The merchant's payout coin: `/min-amount` is asked for the pair pay coin → this. */
    payoutCurrency: string | undefined;
  };
  telegramApiRoot: string;
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
};

export class ConfigError extends Error {}

type Secrets = { jwtSecret: string; encryptionKey: string; sandboxIpnSecret: string };

/** Secrets generated on first start and kept in DATA_DIR, so restarts keep sessions and tokens. */
function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  } catch {
    const secrets: Secrets = {
      jwtSecret: randomBytes(32).toString('hex'),
      encryptionKey: randomBytes(32).toString('hex'),
      sandboxIpnSecret: randomBytes(32).toString('hex'),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
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
  return {
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    database: e.DATABASE_URL ? 'postgres' : 'embedded',
    testMode,
    nowpayments: {
      apiKey: e.NOWPAYMENTS_API_KEY,
      ipnSecret: e.NOWPAYMENTS_IPN_SECRET ?? secrets.sandboxIpnSecret,
      apiUrl: e.NOWPAYMENTS_API_URL.replace(/\/$/, ''),
      fulfilOnConfirmed: e.NOWPAYMENTS_FULFIL_ON_CONFIRMED === 'true' || e.NOWPAYMENTS_FULFIL_ON_CONFIRMED === '1',
      payoutCurrency: e.NOWPAYMENTS_PAYOUT_CURRENCY,
    },
    telegramApiRoot: e.TELEGRAM_API_ROOT.replace(/\/$/, ''),
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
  };
}
