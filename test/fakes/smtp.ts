// A real (minimal) SMTP server for tests: speaks enough of RFC 5321 for nodemailer —
// EHLO/HELO, optional AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT — and records
// every message it accepts, so tests exercise the real sending code over a socket.
import net from 'node:net';

export type ReceivedMail = { from: string; to: string[]; raw: string; subject: string; text: string; messageId: string | null };

export type FakeSmtp = {
  url: string;
  messages: ReceivedMail[];
  /** Reject the next N messages with a 451 (temporary failure). */
  failNext(count?: number): void;
  close(): Promise<void>;
};

function parseMessage(raw: string): { subject: string; text: string; messageId: string | null } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  let body = split >= 0 ? raw.slice(split + 4) : '';
  const headers = head.replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim() ?? null;
  const encoding = header('Content-Transfer-Encoding')?.toLowerCase();
  if (encoding === 'quoted-printable') {
    body = Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  let subject = header('Subject') ?? '';
  // RFC 2047 encoded words, as nodemailer writes non-ASCII subjects.
  subject = subject.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
  return { subject, text: body.replace(/\r\n/g, '\n').replace(/\n$/, ''), messageId: header('Message-ID') };
}

export async function startFakeSmtp(): Promise<FakeSmtp> {
  const messages: ReceivedMail[] = [];
  let failures = 0;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let mode: 'command' | 'data' | 'auth-user' | 'auth-pass' = 'command';
    let from = '';
    let to: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);

    const onCommand = (line: string) => {
      const verb = line.split(' ')[0]!.toUpperCase();
      switch (verb) {
        case 'EHLO':
          return reply('250-fake-smtp\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8');
        case 'HELO':
          return reply('250 fake-smtp');
        case 'AUTH': {
          const [, mech, initial] = line.split(' ');
          if (mech?.toUpperCase() === 'PLAIN') return reply(initial ? '235 2.7.0 Authenticated' : '334 ');
          mode = 'auth-user';
          return reply('334 VXNlcm5hbWU6');
        }
        case 'MAIL':
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          return reply('250 OK');
        case 'RCPT':
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          return reply('250 OK');
        case 'DATA':
          mode = 'data';
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          from = '';
          to = [];
          return reply('250 OK');
        case 'NOOP':
          return reply('250 OK');
        case 'QUIT':
          reply('221 Bye');
          return socket.end();
        default:
          return reply('502 Command not implemented');
      }
    };

    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (mode === 'data') {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
          buffer = buffer.slice(end + 5);
          mode = 'command';
          if (failures > 0) {
            failures--;
            reply('451 4.3.0 Temporary failure, try again');
            continue;
          }
          messages.push({ from, to, raw, ...parseMessage(raw) });
          reply('250 OK: queued');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (mode === 'auth-user') {
          mode = 'auth-pass';
          reply('334 UGFzc3dvcmQ6');
        } else if (mode === 'auth-pass') {
          mode = 'command';
          reply('235 2.7.0 Authenticated');
        } else if (line.toUpperCase().startsWith('AUTH PLAIN') && line.split(' ').length === 2) {
          // AUTH PLAIN without an initial response: the next line carries the credentials.
          mode = 'auth-pass';
          reply('334 ');
        } else {
          onCommand(line);
        }
      }
    });
    reply('220 fake-smtp ESMTP ready');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    failNext(count = 1) {
      failures = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
