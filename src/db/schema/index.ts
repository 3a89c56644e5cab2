import type { ApiKeysTable } from './access.js';
import type { OrganisationLogosTable } from './branding.js';
import type {
  DeliveryEventsTable,
  InboundRepliesTable,
  MessageDeliveriesTable,
  SmsOptOutsTable,
} from './channels.js';
import type { ContactsTable, CustomersTable } from './customers.js';
import type { DocumentsTable } from './documents.js';
import type { DunningTables } from './dunning.js';
import type { ApiIdempotencyKeysTable } from './idempotency.js';
import type { ImportBatchesTable, LedgerHistoryTable } from './imports.js';
import type { InvitationTables } from './invitations.js';
import type { CreditNotesTable, InvoiceInstalmentsTable, InvoicesTable } from './invoices.js';
import type { KpiTables } from './kpi.js';
import type { MessageTemplateTables } from './message-templates.js';
import type { OrganisationsTable } from './organisations.js';
import type { PaymentTables } from './payment-plans.js';
import type { AllocationsTable, PaymentsTable } from './payments.js';
import type { PortalTables } from './portal.js';
import type { RateRowsTable } from './rates.js';
import type { RiskTables } from './risk.js';
import type { SentMessageTables } from './sent-messages.js';
import type { SolvencyTables } from './solvency.js';
import type { UserTables } from './users.js';
import type { WorklistTables } from './worklist.js';

export type * from './access.js';
export type * from './branding.js';
export type * from './channels.js';
export type * from './customers.js';
export type * from './documents.js';
export type * from './dunning.js';
export type * from './idempotency.js';
export type * from './imports.js';
export type * from './invitations.js';
export type * from './invoices.js';
export type * from './kpi.js';
export type * from './message-templates.js';
export type * from './organisations.js';
export type * from './payment-plans.js';
export type * from './payments.js';
export type * from './portal.js';
export type * from './rates.js';
export type * from './risk.js';
export type * from './sent-messages.js';
export type * from './solvency.js';
export type * from './users.js';
export type * from './worklist.js';

/**
 * The Kysely view of the schema. SQL migrations in ../migrations are the source of truth;
 * each later feature adds its tables here in its own file (one file per aggregate).
 */
export interface Database
  extends DunningTables,
    PortalTables,
    UserTables,
    PaymentTables,
    WorklistTables,
    InvitationTables,
    SentMessageTables,
    MessageTemplateTables,
    KpiTables,
    SolvencyTables,
    RiskTables {
  organisations: OrganisationsTable;
  organisation_logos: OrganisationLogosTable;
  customers: CustomersTable;
  contacts: ContactsTable;
  invoices: InvoicesTable;
  invoice_instalments: InvoiceInstalmentsTable;
  credit_notes: CreditNotesTable;
  payments: PaymentsTable;
  allocations: AllocationsTable;
  documents: DocumentsTable;
  import_batches: ImportBatchesTable;
  ledger_history: LedgerHistoryTable;
  api_keys: ApiKeysTable;
  rate_rows: RateRowsTable;
  message_deliveries: MessageDeliveriesTable;
  delivery_events: DeliveryEventsTable;
  inbound_replies: InboundRepliesTable;
  sms_opt_outs: SmsOptOutsTable;
  api_idempotency_keys: ApiIdempotencyKeysTable;
}
