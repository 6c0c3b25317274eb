import pino from 'pino';
import { env } from './config/env';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Ids a log line is about, carried as fields of its JSON so lines can be found by them. */
export interface LogContext {
  hubId?: string;
  webhookId?: string;
  deliveryId?: string;
}

export type Logger = Record<Level, (message: string) => void> & {
  /** The same component's logger with these ids on every line. */
  child(context: LogContext): Logger;
};

let root: pino.Logger | undefined;

/**
 * One pino logger per process, built on first use (after the environment is read). Lines are JSON
 * (`level`, `time`, `component`, the ids of LogContext, `msg`); debug and info go to stdout, warn
 * and error to stderr, as before. Writes are synchronous so the last lines before an exit are kept.
 */
function rootLogger(): pino.Logger {
  root ??= pino(
    {
      level: env().HERALD_LOG_LEVEL,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(
      [
        { level: 'debug', stream: pino.destination({ dest: 1, sync: true }) },
        { level: 'warn', stream: pino.destination({ dest: 2, sync: true }) },
      ],
      { dedupe: true },
    ),
  );
  return root;
}

function wrap(log: pino.Logger): Logger {
  return {
    debug: (message) => log.debug(message),
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
    child: (context) => wrap(log.child(context)),
  };
}

/** A component's logger; HERALD_LOG_LEVEL (`debug` … `error`, or `silent`) sets the floor. */
export function logger(component: string, context: LogContext = {}): Logger {
  return wrap(rootLogger().child({ component, ...context }));
}
