/** How the worker's parts report; the worker process routes it to the logger. */
export type WorkerLog = (level: 'info' | 'warn' | 'error', message: string) => void;
