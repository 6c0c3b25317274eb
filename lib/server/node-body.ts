import type http from 'node:http';
import { BodyTimeoutError, BodyTooLargeError, RequestClosedError } from '../api/body';

export { RequestClosedError };

/**
 * A node:http request's body, with the limits lib/api/body.ts applies to web requests: a
 * declared Content-Length over the limit is refused before anything is read, and a body that
 * grows past it while streaming is refused at once, with the rest left unread (the answer then
 * carries `Connection: close`, so the server drops the connection and the rest with it). A body
 * still incomplete `deadlineMs` after reading began is refused the same way: a client trickling a
 * byte every few seconds holds a connection and a handler for that long at most.
 */
export function readNodeBody(request: http.IncomingMessage, limitBytes: number, deadlineMs: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.reject(new BodyTooLargeError(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const deadline = setTimeout(() => {
      cleanUp();
      request.pause();
      reject(new BodyTimeoutError(deadlineMs));
    }, deadlineMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanUp();
        request.pause();
        reject(new BodyTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    // A client that goes away mid-body ends neither with 'end' nor (always) with 'error'.
    const onClose = () => onError(new RequestClosedError());
    const cleanUp = () => {
      clearTimeout(deadline);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
