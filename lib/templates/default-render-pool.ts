import { env } from '../config/env';
import { RenderPool } from './render-pool';

/** Threads in the process-wide pool: rendering is short, two keep one hostile template from stalling the rest. */
const POOL_SIZE = 2;

// On globalThis so Next.js dev reloads do not leak a pool (and its threads) per reload.
const globalForRender = globalThis as unknown as { heraldRenderPool?: RenderPool };

/** The process-wide render pool, created on first use with HERALD_RENDER_TIMEOUT_MS. */
export function renderPool(): RenderPool {
  globalForRender.heraldRenderPool ??= new RenderPool({ size: POOL_SIZE, timeoutMs: env().HERALD_RENDER_TIMEOUT_MS });
  return globalForRender.heraldRenderPool;
}

/** For graceful shutdown and tests: stops the threads; the next render starts a new pool. */
export async function closeRenderPool(): Promise<void> {
  const pool = globalForRender.heraldRenderPool;
  globalForRender.heraldRenderPool = undefined;
  await pool?.close();
}
