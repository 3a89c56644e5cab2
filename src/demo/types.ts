import type { CustomerKind, Segment } from '../db/schema/customers.js';
import type { PaymentMethod } from '../db/schema/payments.js';
import type { IsoDate } from '../domain/calendar/index.js';

/** How a customer pays: drives delays, partial payments and defaults in the demo. */
export type PaymentBehaviour = 'punctual' | 'slightly_late' | 'chronic_late' | 'defaulter';

export interface GenerateOptions {
  customers: number;
  invoices: number;
  seed: number;
  /** The generator's "today": nothing is issued or paid after it (tests fix it). */
  today: IsoDate;
  /** Months of history before today (default 18). */
  months?: number;
  currency?: string;
  /** Prefix for customer refs and document numbers, so a second portfolio can share an
   * organisation with the first without colliding numbers. */
  prefix?: string;
}

export interface DemoCustomer {
  id: string;
  externalRef: string;
  name: string;
  kind: CustomerKind;
  siren: string | null;
  siret: string | null;
  vatNumber: string | null;
  addressLine1: string;
  postalCode: string;
  city: string;
  segment: Segment;
  creditLimitMinor: number | null;
  currency: string;
  language: 'fr' | 'en';
  assignedCollector: string | null;
  paymentTermsDays: number;
  behaviour: PaymentBehaviour;
  notes: string;
}

export interface DemoContact {
  id: string;
  customerId: string;
  name: string;
  role: string | null;
  email: string;
  phone: string;
  preferredChannel: 'email' | 'sms' | 'letter' | 'phone';
  language: 'fr' | 'en';
  consentEmail: boolean;
  consentSms: boolean;
  isPrimary: boolean;
}

export interface DemoInvoice {
  id: string;
  customerId: string;
  invoiceNumber: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  performanceDate: IsoDate;
  currency: string;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
  disputed: boolean;
  paymentTerms: string;
  poReference: string | null;
  description: string;
}

export interface DemoInstalment {
  invoiceId: string;
  seq: number;
  dueDate: IsoDate;
  amountMinor: number;
}

export interface DemoCreditNote {
  id: string;
  customerId: string;
  creditNoteNumber: string;
  invoiceId: string;
  issueDate: IsoDate;
  currency: string;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
  reason: string;
}

export interface DemoPayment {
  id: string;
  customerId: string;
  paymentReference: string;
  receivedOn: IsoDate;
  currency: string;
  amountMinor: number;
  method: PaymentMethod;
  bankReference: string;
}

export interface DemoAllocation {
  id: string;
  invoiceId: string;
  paymentId: string | null;
  creditNoteId: string | null;
  amountMinor: number;
}

export interface DemoPortfolio {
  customers: DemoCustomer[];
  contacts: DemoContact[];
  invoices: DemoInvoice[];
  instalments: DemoInstalment[];
  creditNotes: DemoCreditNote[];
  payments: DemoPayment[];
  allocations: DemoAllocation[];
}
