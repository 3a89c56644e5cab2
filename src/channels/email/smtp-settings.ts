import { AppError } from '../../errors.js';

/**
 * SMTP connection settings, from SMTP_URL or an organisation's settings. Parsed into a
 * plain object once so the URL (which carries the password) is never passed around, logged
 * or put in an error message.
 */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (smtps://, usually port 465). Otherwise STARTTLS is
   * used whenever the server offers it, and required when `requireTls` is set. */
  secure: boolean;
  requireTls?: boolean;
  user?: string;
  pass?: string;
  /** Certificates to trust beyond the system store (a private relay, a test CA). */
  ca?: string | Buffer;
  /** Name announced in EHLO. */
  clientName?: string;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/**
 * `smtp://user:pass@host:port` (STARTTLS when offered), `smtps://…` (implicit TLS).
 * Query options: `requireTLS=true`. User and password are percent-decoded so a password
 * may contain '@' or ':' written as %40 / %3A.
 */
export function parseSmtpUrl(url: string): SmtpSettings {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Never echo the URL: it holds the password.
    throw new AppError('VALIDATION', 'SMTP_URL is not a valid URL', [
      { field: 'SMTP_URL', reason: 'unparsable' },
    ]);
  }
  const secure = u.protocol === 'smtps:';
  if (!secure && u.protocol !== 'smtp:') {
    throw new AppError('VALIDATION', 'SMTP_URL must start with smtp:// or smtps://', [
      { field: 'SMTP_URL', reason: `unsupported scheme ${u.protocol}` },
    ]);
  }
  if (!u.hostname) {
    throw new AppError('VALIDATION', 'SMTP_URL has no host', [{ field: 'SMTP_URL', reason: 'missing host' }]);
  }
  const port = u.port ? Number(u.port) : secure ? 465 : 587;
  const settings: SmtpSettings = {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    secure,
  };
  if (u.username) settings.user = decodeURIComponent(u.username);
  if (u.password) settings.pass = decodeURIComponent(u.password);
  const requireTls = u.searchParams.get('requireTLS');
  if (requireTls === 'true' || requireTls === '1') settings.requireTls = true;
  return settings;
}

/** Safe description for logs: never the password. */
export function describeSmtp(s: SmtpSettings): {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
} {
  return { host: s.host, port: s.port, secure: s.secure, ...(s.user ? { user: s.user } : {}) };
}
