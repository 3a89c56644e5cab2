/** Types and calls of the letter print queue (/api/v1/letters…). */
import { ApiError, api, type Problem } from '../api';

export type LetterStatusFilter = 'to_print' | 'posted' | 'delivered' | 'all';

export interface Letter {
  id: string;
  customerId: string;
  customerName: string;
  registered: boolean;
  status: string;
  toAddress: string;
  documentSha256: string | null;
  pdfUrl: string | null;
  trackingNumber: string | null;
  postedOn: string | null;
  receivedOn: string | null;
  createdAt: string;
}

export interface LetterPage {
  items: Letter[];
  nextCursor: string | null;
  total: number;
}

export const PAGE_SIZE = 20;

export const lettersApi = {
  /** One PDF of the chosen letters, in this order, to print in one go (opened in a new tab). */
  batchPdfUrl: (ids: string[]) => `/api/v1/letters/batch.pdf?ids=${ids.join(',')}`,
  list: (status: LetterStatusFilter, cursor: string | null) =>
    api<LetterPage>(
      `/letters?status=${status}&limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  posted: (id: string, body: { trackingNumber?: string; postedOn: string }) =>
    api<Letter>(`/letters/${id}/posted`, { method: 'POST', body }),
  receipt: (id: string, receivedOn: string, scanDocumentId?: string) =>
    api<Letter>(`/letters/${id}/receipt`, {
      method: 'POST',
      body: { receivedOn, ...(scanDocumentId ? { scanDocumentId } : {}) },
    }),
  /** The scan of the signed card, filed on the customer as a proof of delivery (api() only speaks JSON). */
  uploadScan: async (customerId: string, file: File, csrf: string): Promise<{ id: string }> => {
    const form = new FormData();
    form.append('kind', 'proof_of_delivery');
    form.append('customerId', customerId);
    form.append('file', file);
    const res = await fetch('/api/v1/documents', {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrf, accept: 'application/json' },
    });
    const data = (await res.json().catch(() => ({}))) as Partial<Problem> & { id?: string };
    if (!res.ok || !data.id) {
      throw new ApiError({ status: res.status, code: 'UNKNOWN', title: res.statusText, ...data });
    }
    return { id: data.id };
  },
};
