import { type Channel, ChannelError, type OutboundMessage, type SendResult } from '../channel.js';
import type { PostalProvider } from './postal-provider.js';
import { type LetterFonts, renderLetterPdf } from './render-letter.js';

export interface LetterChannelOptions {
  /** Without one, letters are queued for printing and marked posted by a user. */
  postal?: PostalProvider;
  fonts?: LetterFonts;
}

/**
 * Letters: render the PDF (returned as `document`, stored as evidence with its hash), then
 * hand it to the postal provider, or leave it 'queued_for_print' for the collector to print
 * and post by hand (see markLetterPosted in db/queries/deliveries.ts).
 */
export class LetterChannel implements Channel {
  readonly kind = 'letter' as const;

  constructor(private readonly opts: LetterChannelOptions = {}) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    const letter = message.content.letter;
    const provider = this.opts.postal?.name ?? 'print';
    if (!letter) throw new ChannelError('message has no letter content', { retryable: false, provider });
    const address = message.recipient.address;
    if (!address) {
      throw new ChannelError('recipient has no postal address', {
        retryable: false,
        invalidAddress: true,
        provider,
      });
    }
    let rendered: Awaited<ReturnType<typeof renderLetterPdf>>;
    try {
      rendered = await renderLetterPdf({
        sender: message.sender,
        recipient: address,
        letter,
        ...(this.opts.fonts ? { fonts: this.opts.fonts } : {}),
      });
    } catch (err) {
      // Rendering is deterministic: the same input fails again, so never retry it.
      throw new ChannelError(`letter could not be rendered: ${(err as Error).message}`, {
        retryable: false,
        provider,
        cause: err,
      });
    }
    const document = {
      filename: `${message.idempotencyKey.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`,
      contentType: 'application/pdf',
      content: rendered.pdf,
    };
    if (!this.opts.postal) {
      return {
        status: 'queued_for_print',
        provider,
        providerMessageId: `print:${rendered.sha256}`,
        acceptedAt: new Date(),
        document,
      };
    }
    const accepted = await this.opts.postal.submit({
      reference: message.idempotencyKey,
      pdf: rendered.pdf,
      pages: rendered.pages,
      sender: message.sender,
      recipient: address,
      registered: letter.registered ?? false,
    });
    return {
      status: 'posted',
      provider,
      providerMessageId: accepted.providerMessageId,
      acceptedAt: new Date(),
      document,
      ...(accepted.trackingNumber ? { trackingNumber: accepted.trackingNumber } : {}),
    };
  }
}
