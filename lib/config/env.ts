import { isIP } from 'node:net';
import { z } from 'zod';
import { ZDatabaseUrl } from './database-url';
import { parseDuration, parseRetrySchedule } from './durations';

const booleanish = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback)
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** `true` allows every private destination, `loopback` only 127.0.0.0/8 and ::1. */
const ZPrivateDestinations = z
  .enum(['true', 'false', '1', '0', 'loopback'])
  .default('false')
  .transform((value): PrivateDestinationPolicy => {
    if (value === 'loopback') return 'loopback';
    return value === 'true' || value === '1' ? 'all' : 'none';
  });

/** A duration such as `30s` or `5d` (see durations.ts), or a list of them, parsed to milliseconds. */
const parsed = <T>(fallback: string, parse: (text: string) => T) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      try {
        return parse(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/** A timeout of the web server's sockets: a duration between 100 ms and 10 minutes. */
const serverTimeout = (fallback: string) =>
  parsed(fallback, parseDuration).pipe(
    z.number().min(100, 'must be at least 100ms').max(600_000, 'must be at most 10m'),
  );

export type PrivateDestinationPolicy = 'none' | 'loopback' | 'all';

/** `smtp://[user:password@]host[:port]` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
const ZSmtpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^smtps?:\/\/[^/?#]/.test(value), {
    message: 'must be smtp://[user:password@]host[:port] or smtps://…',
  });

const ZEnv = z
  .object({
    /** libpq's URI form, several hosts and target_session_attrs included (lib/config/database-url.ts). */
    DATABASE_URL: ZDatabaseUrl.optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /**
     * The address the web server and the worker's metrics server bind to; unset, every interface
     * (as a container needs). 127.0.0.1 keeps Herald to this machine.
     */
    HOST: z
      .string()
      .trim()
      .refine((value) => isIP(value) !== 0 || value === 'localhost', {
        message: 'must be an IP address (0.0.0.0, ::, 127.0.0.1, …) or localhost',
      })
      .optional(),
    HERALD_DATA_DIR: z.string().min(1).default('./.herald'),
    HERALD_ENCRYPTION_KEY: z.string().min(1).optional(),
    HERALD_RETRY_SCHEDULE: parsed('0,5s,5m,30m,2h,5h,10h,14h,20h,24h', parseRetrySchedule),
    HERALD_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
    HERALD_ALLOW_PRIVATE_DESTINATIONS: ZPrivateDestinations,
    HERALD_SECRET_GRACE_PERIOD: parsed('24h', parseDuration),
    HERALD_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(200),
    HERALD_DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
    HERALD_MAX_IN_FLIGHT_PER_WEBHOOK: z.coerce.number().int().min(1).max(10_000).default(100),
    /** Slots a webhook starts with in a worker; one more per answer in time, half on trouble. */
    HERALD_INITIAL_IN_FLIGHT_PER_WEBHOOK: z.coerce.number().int().min(1).max(10_000).default(4),
    /** Timeouts, network errors, 5xx and 429 in a row that rest an endpoint (circuit breaker). */
    HERALD_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    /** First rest of an endpoint whose breaker opened; doubled at each reopening, up to a minute. */
    HERALD_BREAKER_COOLDOWN: parsed('1s', parseDuration),
    /** Webhooks one hub may hold: every emit plans against all of them, so their number is bounded. */
    HERALD_MAX_WEBHOOKS_PER_HUB: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    HERALD_LEASE_MS: z.coerce.number().int().min(1000).optional(),
    HERALD_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
    HERALD_RENDER_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    HERALD_CONTENT_DELIVERY_URL: z.string().url().optional(),
    HERALD_BOOTSTRAP_CLIENT_ID: z.string().min(1).optional(),
    HERALD_BOOTSTRAP_CLIENT_SECRET: z.string().min(16).optional(),
    HERALD_DISABLE_AFTER_FAILING_FOR: parsed('5d', parseDuration),
    HERALD_RETENTION: parsed('30d', parseDuration),
    /** Audit entries older than this are pruned hourly by the worker. */
    HERALD_AUDIT_RETENTION: parsed('365d', parseDuration),
    HERALD_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    HERALD_TRUST_PROXY: booleanish('false'),
    /** Marks the session cookie Secure: set it when browsers reach Herald over HTTPS. */
    HERALD_SECURE_COOKIES: booleanish('false'),
    /** A session unused this long ends, whatever is left of its 14 days. */
    HERALD_SESSION_IDLE_TIMEOUT: parsed('12h', parseDuration),
    /** Bearer token GET /metrics requires; without it, /metrics answers only with HERALD_METRICS_PUBLIC=true. */
    HERALD_METRICS_TOKEN: z.string().min(16, 'HERALD_METRICS_TOKEN must be at least 16 characters').optional(),
    HERALD_METRICS_PUBLIC: booleanish('false'),
    /** Where a worker serves its own /metrics (0: not served). */
    HERALD_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    /** Failure notification emails (lib/notifications/): none without a mail server. */
    HERALD_SMTP_URL: ZSmtpUrl.optional(),
    HERALD_MAIL_FROM: z.string().trim().min(3).max(320).default('Herald <herald@localhost>'),
    /** At most one notification email per webhook this often. */
    HERALD_NOTIFY_INTERVAL: parsed('1h', parseDuration),
    /** Where people reach the admin UI, for links in emails; default http://localhost:PORT. */
    HERALD_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    /** The web server (lib/server/http-server.ts): a request's headers must arrive within this… */
    HERALD_HTTP_HEADERS_TIMEOUT: serverTimeout('20s'),
    /** …and the whole request, body included, within this (a trickling body is cut off). */
    HERALD_HTTP_REQUEST_TIMEOUT: serverTimeout('25s'),
    /** An idle keep-alive connection is closed after this. */
    HERALD_HTTP_KEEP_ALIVE_TIMEOUT: serverTimeout('5s'),
    /** Open connections the web server accepts at once; more are closed as they arrive. */
    HERALD_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  })
  .superRefine((config, ctx) => {
    // node:http refuses a headers timeout longer than the request's: say so in the variables' terms.
    if (config.HERALD_HTTP_HEADERS_TIMEOUT > config.HERALD_HTTP_REQUEST_TIMEOUT) {
      ctx.addIssue({
        code: 'custom',
        path: ['HERALD_HTTP_HEADERS_TIMEOUT'],
        message: `must not be longer than HERALD_HTTP_REQUEST_TIMEOUT (${config.HERALD_HTTP_REQUEST_TIMEOUT} ms)`,
      });
    }
  });

export type HeraldEnv = z.infer<typeof ZEnv>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses Herald's environment; a bad variable stops start-up with its name and the reason. */
export function parseEnv(source: Record<string, string | undefined> = process.env): HeraldEnv {
  const defined = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = ZEnv.safeParse(defined);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: HeraldEnv | undefined;

export function env(): HeraldEnv {
  cached ??= parseEnv();
  return cached;
}

/** Tests change the environment between cases; this drops the cached parse. */
export function resetEnvCache(): void {
  cached = undefined;
}
