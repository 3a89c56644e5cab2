import pino, { type Logger } from 'pino';

let root: Logger | undefined;

/** Root logger; modules take a child (`logger().child({ module: 'import' })`). */
export function logger(level?: string): Logger {
  if (!root || level) {
    root = pino({
      level: level ?? 'info',
      // Never log credentials: SMTP URLs, database URLs with passwords, tokens.
      redact: {
        paths: [
          '*.password',
          '*.smtpUrl',
          '*.databaseUrl',
          '*.token',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    });
  }
  return root;
}
