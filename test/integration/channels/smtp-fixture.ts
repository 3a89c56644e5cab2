import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
  user?: string;
}

export interface SmtpFixture {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** Reply code to refuse RCPT TO with, e.g. 451 or 550. */
  rejectRecipient?: { code: number; message: string };
  auth?: { user: string; pass: string };
  secure?: boolean;
  key?: string;
  cert?: string;
}

/** A real SMTP server on 127.0.0.1:0 that keeps what it receives, parsed back by mailparser. */
export async function startSmtpFixture(opts: FixtureOptions = {}): Promise<SmtpFixture> {
  const received: ReceivedMail[] = [];
  const serverOptions: SMTPServerOptions = {
    secure: opts.secure ?? false,
    ...(opts.key ? { key: opts.key, cert: opts.cert } : {}),
    // Without a key, smtp-server offers STARTTLS with its bundled self-signed cert, which a
    // verifying client would refuse: hide it unless the test brings its own certificate.
    disabledCommands: opts.auth ? (opts.key ? [] : ['STARTTLS']) : opts.key ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    allowInsecureAuth: true,
    authOptional: !opts.auth,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) {
        cb(null, { user: auth.username });
      } else {
        cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onRcptTo(_address, _session, cb) {
      if (opts.rejectRecipient) {
        cb(
          Object.assign(new Error(opts.rejectRecipient.message), { responseCode: opts.rejectRecipient.code }),
        );
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              ...(typeof session.user === 'string' ? { user: session.user } : {}),
            });
            cb();
          })
          .catch(cb);
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
