// Playwright's web server for the e2e suite: runs `npm start` (scripts/start.ts) and passes its
// output through, noting the setup code it prints, so the first-run spec types what an operator
// would read off the terminal. Signals go on to Herald, which stops in its own time.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA_DIR = process.env.HERALD_DATA_DIR;
if (!DATA_DIR) throw new Error('HERALD_DATA_DIR must be set');
const SETUP_CODE_FILE = path.join(DATA_DIR, 'e2e-setup-code.txt');

const herald = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
readline.createInterface({ input: herald.stdout }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  const match = /Setup code: ([A-Za-z0-9-]+)/.exec(line);
  if (match) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(SETUP_CODE_FILE, match[1] ?? '', { mode: 0o600 });
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => herald.kill(signal));
herald.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
