import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The bench's OTLP/HTTP collector on 127.0.0.1: it answers every export at once and throws it
 * away, counting exports, bytes and spans (read from the protobuf, or the JSON, without keeping
 * it), so the bench can say the spans of a traced run did leave Herald.
 */
export interface OtlpSink {
  url: string;
  counts(): { exports: number; bytes: number; spans: number };
  close(): Promise<void>;
}

/** Reads a protobuf varint at `at`: [value, next offset]. */
function varint(buffer: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let offset = at;
  for (;;) {
    const byte = buffer[offset++] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80 || offset >= buffer.length) return [value, offset];
    shift += 7;
  }
}

/** The length-delimited fields numbered `field` between `start` and `end`, as [start, end] pairs. */
function lengthFields(buffer: Buffer, start: number, end: number, field: number): [number, number][] {
  const found: [number, number][] = [];
  let at = start;
  while (at < end) {
    const [tag, afterTag] = varint(buffer, at);
    const wireType = tag % 8;
    if (wireType === 0) at = varint(buffer, afterTag)[1];
    else if (wireType === 1) at = afterTag + 8;
    else if (wireType === 5) at = afterTag + 4;
    else if (wireType === 2) {
      const [length, body] = varint(buffer, afterTag);
      if (Math.floor(tag / 8) === field) found.push([body, body + length]);
      at = body + length;
    } else break;
  }
  return found;
}

/** ExportTraceServiceRequest → resource_spans (1) → scope_spans (2) → spans (2). */
export function countProtobufSpans(buffer: Buffer): number {
  let spans = 0;
  for (const [rs, rsEnd] of lengthFields(buffer, 0, buffer.length, 1)) {
    for (const [ss, ssEnd] of lengthFields(buffer, rs, rsEnd, 2)) spans += lengthFields(buffer, ss, ssEnd, 2).length;
  }
  return spans;
}

function countJsonSpans(text: string): number {
  const parsed = JSON.parse(text) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
  return (parsed.resourceSpans ?? []).reduce(
    (sum, rs) => sum + (rs.scopeSpans ?? []).reduce((inner, ss) => inner + (ss.spans?.length ?? 0), 0),
    0,
  );
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  let bytes = 0;
  let spans = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      exports++;
      bytes += body.length;
      const json = (request.headers['content-type'] ?? '').startsWith('application/json');
      try {
        spans += json ? countJsonSpans(body.toString('utf8')) : countProtobufSpans(body);
      } catch {
        // Counted as an export without spans: the figure says so.
      }
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      response.end(json ? '{}' : '');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => ({ exports, bytes, spans }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
