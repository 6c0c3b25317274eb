import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedEmail {
  from: string;
  to: string[];
  headers: Map<string, string>;
  subject: string;
  messageId: string;
  text: string;
  /** The session had upgraded to TLS (STARTTLS) before the message. */
  secure: boolean;
  user: string | null;
}

/**
 * What the sink does with one message: accept it (the default), refuse it with an SMTP error,
 * or hold it unanswered until the connection dies (a sender killed mid-send).
 */
export type SinkReply = 'accept' | { reject: string; code: number } | 'hold';

/**
 * A real SMTP server on 127.0.0.1 with an ephemeral port (the `smtp-server` package), offering
 * STARTTLS with the package's own test certificate and requiring the user and password given.
 */
export class SmtpSink {
  readonly accepted: ReceivedEmail[] = [];
  /** Every message the sink read in full, whatever it answered. */
  readonly seen: ReceivedEmail[] = [];
  private readonly server: SMTPServer;
  private reply: (email: ReceivedEmail, index: number) => SinkReply = () => 'accept';
  port = 0;

  constructor(private readonly credentials = { user: 'herald', pass: 's3cret pass' }) {
    this.server = new SMTPServer({
      logger: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.credentials.user && auth.password === this.credentials.pass) {
          callback(null, { user: auth.username });
        } else callback(new Error('Invalid username or password'));
      },
      onData: (stream, session, callback) => {
        this.read(stream, session)
          .then((email) => {
            const index = this.seen.push(email) - 1;
            const reply = this.reply(email, index);
            if (reply === 'hold') return;
            if (reply === 'accept') {
              this.accepted.push(email);
              callback();
              return;
            }
            callback(Object.assign(new Error(reply.reject), { responseCode: reply.code }));
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  get url(): string {
    const { user, pass } = this.credentials;
    // The package's certificate is self-signed: the client is told to accept it, as an operator would for their own CA.
    return `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${this.port}?tls.rejectUnauthorized=false`;
  }

  replyWith(reply: (email: ReceivedEmail, index: number) => SinkReply): void {
    this.reply = reply;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const connection of this.server.connections) connection.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async read(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<ReceivedEmail> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return parseEmail(Buffer.concat(chunks).toString('latin1'), session);
  }
}

function parseEmail(raw: string, session: SMTPServerSession): ReceivedEmail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : Buffer.from(body, 'latin1').toString('utf8');
  return {
    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    headers,
    subject: decodeEncodedWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    text: text.replace(/\r\n/g, '\n'),
    secure: session.secure,
    user: typeof session.user === 'string' ? session.user : null,
  };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** RFC 2047 words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`), as nodemailer writes non-ASCII subjects. */
function decodeEncodedWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}
