import type { LogContext } from '../logger';

/**
 * How the worker's parts report, with the webhook and delivery a line is about when there is one;
 * the worker routes it to the logger (a child logger carrying those ids), a test may collect it.
 */
export type WorkerLog = (level: 'info' | 'warn' | 'error', message: string, context?: LogContext) => void;
