import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Serves Monaco's AMD build (node_modules/monaco-editor/min/vs) from the app itself, so the editor
 * works air-gapped. Only files under that folder, only known types. Files are read whole and kept
 * in memory: the set is fixed per install, and a buffered body cannot break when a browser aborts.
 */
const ROOT = path.join(process.cwd(), 'node_modules', 'monaco-editor', 'min');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// Bundle chunks carry a content hash in their name (editor-BdtEMBbM.js): cache them forever.
const HASHED = /-[A-Za-z0-9_-]{8}\.[a-z]+$/;

const files = new Map<string, { body: Uint8Array<ArrayBuffer>; etag: string }>();

async function load(file: string) {
  const cached = files.get(file);
  if (cached) return cached;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  const body = new Uint8Array(await readFile(file));
  const entry = { body, etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
  files.set(file, entry);
  return entry;
}

export async function GET(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const segments = (await params).path;
  if (segments[0] !== 'vs' || segments.some((s) => s === '' || s === '.' || s === '..' || /[\\\0]/.test(s))) {
    return new Response('Not found', { status: 404 });
  }
  const file = path.resolve(ROOT, ...segments);
  const type = TYPES[path.extname(file)];
  if (!file.startsWith(`${ROOT}${path.sep}`) || !type) return new Response('Not found', { status: 404 });
  const entry = await load(file);
  if (!entry) return new Response('Not found', { status: 404 });
  const headers = {
    'Content-Type': type,
    'Cache-Control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=86400',
    ETag: entry.etag,
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.headers.get('if-none-match') === entry.etag) return new Response(null, { status: 304, headers });
  return new Response(entry.body, { headers });
}
