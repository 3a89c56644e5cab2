import { AppError } from '../errors.js';

/**
 * The one contract between the dunning engine and the outside world. A channel either
 * returns a SendResult (the provider accepted the message: nothing is reported as sent that
 * was not accepted) or throws a ChannelError saying whether trying again can help.
 */
export type ChannelKind = 'email' | 'sms' | 'letter';

export interface PostalAddress {
  /** Recipient lines above the street (company name, "À l'attention de …"). */
  name: string;
  lines: string[];
  postalCode: string;
  city: string;
  /** ISO 3166 alpha-2; a foreign country is printed in capitals on the last line. */
  country?: string;
}

/** Who speaks: the organisation, never Relance itself. */
export interface SenderIdentity {
  orgId: string;
  name: string;
  email?: string;
  /** Domain of the reply address (`relance+<token>@replyDomain`); no plus-address without it. */
  replyDomain?: string;
  /** Alphanumeric SMS sender id (≤ 11 characters) or a phone number. */
  smsSenderId?: string;
  address?: PostalAddress;
  siren?: string;
  phone?: string;
  website?: string;
}

export interface Recipient {
  customerId: string;
  contactId?: string;
  name?: string;
  email?: string;
  /** E.164 (+33612345678). */
  phone?: string;
  address?: PostalAddress;
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface LetterItem {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  /** Already formatted amounts ("1 234,56 €"): the letter prints, it does not compute. */
  amount: string;
  balance: string;
}

export interface LetterContent {
  subject: string;
  /** Paragraphs separated by blank lines (the rendered template's letter text). */
  body: string;
  place: string;
  /** Business date 'YYYY-MM-DD', printed in long French form. */
  date: string;
  items?: LetterItem[];
  total?: string;
  payment?: { iban?: string; bic?: string; reference?: string; holder?: string };
  signature?: { name: string; title?: string };
  /** Lettre recommandée avec accusé de réception. */
  registered?: boolean;
  /** The organisation's logo (PNG or JPEG bytes), drawn in the letterhead. */
  logo?: Buffer;
}

export interface MessageContent {
  subject?: string;
  html?: string;
  text?: string;
  sms?: string;
  letter?: LetterContent;
}

export interface OutboundMessage {
  channel: ChannelKind;
  /** Stable per dunning action: the same key always yields the same Message-ID, so a retry
   * after an ambiguous failure is recognisable downstream. */
  idempotencyKey: string;
  /** Signed reply token (see email/reply-token.ts) tying an answer to this message. */
  replyToken?: string;
  sender: SenderIdentity;
  recipient: Recipient;
  content: MessageContent;
  attachments?: Attachment[];
}

export type SendStatus = 'sent' | 'queued' | 'queued_for_print' | 'posted';

export interface SendResult {
  status: SendStatus;
  provider: string;
  providerMessageId: string;
  acceptedAt: Date;
  /** SMS only: billed segments. */
  segments?: number;
  /** Letters: the rendered PDF, to store as a document and as evidence. */
  document?: Attachment;
  /** Registered letters posted through a provider. */
  trackingNumber?: string;
}

export interface Channel {
  readonly kind: ChannelKind;
  send(message: OutboundMessage): Promise<SendResult>;
}

export interface ChannelErrorOptions {
  retryable: boolean;
  invalidAddress?: boolean;
  /** The recipient asked not to be contacted on this channel (SMS STOP). */
  optedOut?: boolean;
  provider: string;
  /** Provider's own code (SMTP reply code, HTTP status, API error code). */
  providerCode?: string | number;
  cause?: unknown;
}

/**
 * A failure to hand a message over. `retryable` drives the job queue (backoff and try
 * again); `invalidAddress` tells the use case to flag the contact and open a task.
 * The code is VALIDATION for a bad address, UNPROCESSABLE for other permanent refusals and
 * INTERNAL for transient ones (the job, not a user, sees those).
 */
export class ChannelError extends AppError {
  readonly retryable: boolean;
  readonly invalidAddress: boolean;
  readonly optedOut: boolean;
  readonly provider: string;
  readonly providerCode: string | number | undefined;

  constructor(message: string, opts: ChannelErrorOptions) {
    super(opts.invalidAddress ? 'VALIDATION' : opts.retryable ? 'INTERNAL' : 'UNPROCESSABLE', message, [], {
      provider: opts.provider,
      retryable: opts.retryable,
      ...(opts.providerCode !== undefined ? { providerCode: opts.providerCode } : {}),
    });
    this.name = 'ChannelError';
    this.retryable = opts.retryable;
    this.invalidAddress = opts.invalidAddress ?? false;
    this.optedOut = opts.optedOut ?? false;
    this.provider = opts.provider;
    this.providerCode = opts.providerCode;
    if (opts.cause !== undefined) (this as { cause?: unknown }).cause = opts.cause;
  }
}

export const isChannelError = (e: unknown): e is ChannelError => e instanceof ChannelError;

/** Network-level errors that say nothing about the message itself: always worth a retry. */
const TRANSIENT_NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  'ESOCKET',
  'ECONNECTION',
  'ETIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

export function isTransientNetworkError(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_NET_CODES.has(code)) return true;
    const name = (cur as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
