import { randomBytes } from 'node:crypto';
import type { PostalAddress, SenderIdentity } from '../channel.js';

/**
 * A postal provider prints, envelopes and posts a PDF (hybrid mail: La Poste's "Lettre en
 * ligne", Maileva, Merci Facteur…). Registered letters come back with a tracking number;
 * the acknowledgement of receipt arrives later as an event.
 */
export interface PostalSubmission {
  reference: string;
  pdf: Buffer;
  pages: number;
  sender: SenderIdentity;
  recipient: PostalAddress;
  /** Lettre recommandée avec accusé de réception. */
  registered: boolean;
}

export interface PostalAccepted {
  providerMessageId: string;
  /** Registered letters: the La Poste tracking number ("1A" + 11 digits for an LRAR). */
  trackingNumber?: string;
}

export interface PostalProvider {
  readonly name: string;
  submit(s: PostalSubmission): Promise<PostalAccepted>;
}

/** In-memory provider for tests and the demo: keeps submissions, issues tracking numbers. */
export class RecordingPostalProvider implements PostalProvider {
  readonly name = 'postal-double';
  readonly submitted: (PostalSubmission & PostalAccepted)[] = [];

  async submit(s: PostalSubmission): Promise<PostalAccepted> {
    const existing = this.submitted.find((x) => x.reference === s.reference);
    // Providers dedupe on the client reference: a retried submission is not posted twice.
    if (existing) {
      return {
        providerMessageId: existing.providerMessageId,
        ...(existing.trackingNumber ? { trackingNumber: existing.trackingNumber } : {}),
      };
    }
    const accepted: PostalAccepted = {
      providerMessageId: `PST-${randomBytes(6).toString('hex')}`,
      ...(s.registered ? { trackingNumber: `1A${randomDigits(11)}` } : {}),
    };
    this.submitted.push({ ...s, ...accepted });
    return accepted;
  }
}

function randomDigits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join('');
}
