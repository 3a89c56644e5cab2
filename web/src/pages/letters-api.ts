/** Types and calls of the letter print queue (/api/v1/letters…). */
import { api } from '../api';

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
  list: (status: LetterStatusFilter, cursor: string | null) =>
    api<LetterPage>(
      `/letters?status=${status}&limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  posted: (id: string, body: { trackingNumber?: string; postedOn: string }) =>
    api<Letter>(`/letters/${id}/posted`, { method: 'POST', body }),
  receipt: (id: string, receivedOn: string) =>
    api<Letter>(`/letters/${id}/receipt`, { method: 'POST', body: { receivedOn } }),
};
