// The webhook reads its own body: the exact text the signature covers, at most `limit` bytes
// of it. Past the limit it stops keeping bytes and answers at once, but still receives the
// rest (discarding it) so the delivery can be recorded and answered 413 instead of vanishing
// in a body-limit error before the route runs.
import type { Readable } from 'node:stream';

export type IpnBody = { text: string; truncated: boolean };

export function readIpnBody(stream: Readable, limit: number): Promise<IpnBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (truncated: boolean) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), truncated });
    };
    const onData = (chunk: Buffer) => {
      if (bytes + chunk.length > limit) {
        chunks.push(chunk.subarray(0, limit - bytes));
        done(true);
        // Flowing with no listener: the rest is read and dropped, the client gets its answer.
        // A client that gives up meanwhile must not become an unhandled 'error' event.
        stream.on('error', () => {});
        stream.resume();
        return;
      }
      bytes += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => done(false);
    const onError = (err: Error) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      reject(err);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
