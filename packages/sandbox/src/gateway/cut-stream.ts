/**
 * The `cutFileStream` fault (issue 12): a file body that stops mid-stream. The headers announce
 * the full `Content-Length`, about half of the bytes go out (flushed to the socket), then the
 * connection is destroyed, so the client sees a truncated body / a reset while reading.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';

/**
 * Send the headers and the first half of `bytes`, wait until that half is flushed, then destroy
 * the socket. The second half is never written.
 */
export function cutMidStream(res: ServerResponse, bytes: Buffer): void {
  const half = Math.max(1, Math.floor(bytes.length / 2));
  res.setHeader('Content-Length', String(bytes.length));
  res.flushHeaders();
  res.write(bytes.subarray(0, Math.min(half, bytes.length)), () => {
    res.socket?.destroy();
  });
}
