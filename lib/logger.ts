import { env } from './config/env';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, 'silent'>;

export type Logger = Record<Level, (message: string) => void>;

/** One line per message, prefixed with time and component; HERALD_LOG_LEVEL sets the floor. */
export function logger(component: string): Logger {
  const threshold = LEVELS[env().HERALD_LOG_LEVEL];
  const write = (level: Level) => (message: string) => {
    if (LEVELS[level] < threshold) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${component}] ${message}`;
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
