import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Logs one line per level (and one from a child logger) in a process of its own, as Herald would. */
async function logLines(level: string) {
  const script = `import { logger } from ${JSON.stringify(path.join(ROOT, 'lib/logger.ts'))};
    const log = logger('worker');
    log.debug('d'); log.info('i'); log.warn('w');
    log.child({ webhookId: 'wh-1', deliveryId: 'dl-1' }).error('e');`;
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, HERALD_LOG_LEVEL: level },
  });
  const parse = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stdout: parse(stdout), stderr: parse(stderr) };
}

describe('logger', () => {
  it('writes JSON lines with the component and the ids of a child logger; warn and error to stderr', async () => {
    const { stdout, stderr } = await logLines('info');
    expect(stdout).toEqual([expect.objectContaining({ level: 'info', component: 'worker', msg: 'i' })]);
    expect(stderr).toEqual([
      expect.objectContaining({ level: 'warn', component: 'worker', msg: 'w' }),
      expect.objectContaining({ level: 'error', component: 'worker', webhookId: 'wh-1', deliveryId: 'dl-1', msg: 'e' }),
    ]);
    expect(typeof stdout[0]?.time).toBe('string');
  }, 30_000);

  it('honours HERALD_LOG_LEVEL, silent included', async () => {
    expect((await logLines('debug')).stdout.map((line) => line.msg)).toEqual(['d', 'i']);
    expect(await logLines('silent')).toEqual({ stdout: [], stderr: [] });
  }, 30_000);
});
