import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';

let root: Logger | undefined;

const R = '[redacted]';

/**
 * Bearer secrets that may appear in a URL, a header or an error message, whatever the field
 * that carries them: the portal link (`/portal/<token>`, `/portal-api/<token>/…`), tracking
 * and signed-link query parameters (`?t=…&s=…`), invitation and reply tokens, API keys and
 * Authorization headers. Applied to every serialised log line, so a new field cannot leak.
 */
const secretPatterns: [RegExp, string][] = [
  [/(\/portal(?:-api)?\/)[^/?#"\s\\]+/g, `$1${R}`],
  [/([?&](?:t|s|u|token|sig|signature|secret|key|code|invitation)=)[^&#"\s\\]+/gi, `$1${R}`],
  [/(bearer\s+)[^"\s\\]+/gi, `$1${R}`],
  [/\brk_[A-Za-z0-9]+_[A-Za-z0-9_-]{8,}/g, R],
  // Signed tokens: base64url payload "." base64url signature.
  [/[A-Za-z0-9_-]{40,}\.[A-Za-z0-9_-]{16,}/g, R],
];

/** The text with every bearer secret replaced by "[redacted]". */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, by] of secretPatterns) out = out.replace(re, by);
  return out;
}

/** A destination that redacts secrets from each line before writing it to `dest`. */
export function redactingDestination(dest: DestinationStream | NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      dest.write(redactSecrets(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
      cb();
    },
  });
}

/** A logger with Relance's redaction, writing to `dest` (stdout by default). */
export function createLogger(
  level = 'info',
  dest: DestinationStream | NodeJS.WritableStream = process.stdout,
) {
  return pino(
    {
      level,
      // Never log credentials: SMTP URLs, database URLs with passwords, tokens.
      redact: {
        paths: [
          '*.password',
          '*.smtpUrl',
          '*.databaseUrl',
          '*.token',
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
        ],
        censor: R,
      },
    },
    redactingDestination(dest),
  );
}

/** Root logger; modules take a child (`logger().child({ module: 'import' })`). */
export function logger(level?: string): Logger {
  if (!root || level) root = createLogger(level ?? 'info');
  return root;
}
