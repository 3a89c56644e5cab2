import type { Kysely } from 'kysely';
import { z } from 'zod';
import { withOrg } from '../../db/connection.js';
import { refreshBalances } from '../../db/queries/balances.js';
import { customerIdsByRef, getImportDefaults, openInvoicesOfCustomers } from '../../db/queries/imports.js';
import { insertAllocations } from '../../db/queries/ledger-writes.js';
import type { Database } from '../../db/schema/index.js';
import {
  AllocationError,
  type AllocationResult,
  allocateOldestFirst,
  checkExplicitAllocations,
} from '../../domain/allocation/allocate.js';
import { isIsoDate } from '../../domain/calendar/dates.js';
import { isCurrency, MAX_AMOUNT_MINOR } from '../../domain/money/money.js';
import { AppError, notFound } from '../../errors.js';
import { refreshPlanProgress } from '../payment-plans/track-payment-plans.js';

export const recordPaymentInput = z
  .object({
    /** The customer, by id or by the organisation's external reference. */
    customerId: z.string().uuid().optional(),
    customerRef: z.string().trim().min(1).optional(),
    /** Idempotency key of the organisation (bank or payer reference). */
    paymentReference: z.string().trim().min(1).max(200),
    receivedOn: z.string().refine(isIsoDate, 'a yyyy-mm-dd date'),
    /** Minor units, at most MAX_AMOUNT_MINOR. */
    amount: z.number().int().positive().max(MAX_AMOUNT_MINOR),
    /** Default: the organisation's currency. */
    currency: z
      .string()
      .transform((s) => s.toUpperCase())
      .refine(isCurrency, 'an ISO 4217 currency')
      .optional(),
    method: z.enum(['transfer', 'direct_debit', 'card', 'cheque', 'cash', 'other']).default('transfer'),
    bankReference: z.string().max(500).optional(),
    /** The debtor's own imputation (art. 1342-10 al. 1). Invoice by id or number. */
    allocations: z
      .array(
        z
          .object({
            invoiceId: z.string().uuid().optional(),
            invoiceNumber: z.string().min(1).optional(),
            amount: z.number().int().positive().max(MAX_AMOUNT_MINOR),
          })
          .refine((a) => a.invoiceId || a.invoiceNumber, 'invoiceId or invoiceNumber'),
      )
      .optional(),
    /** Without explicit allocations: 'auto' settles the oldest open invoices, 'none' keeps it as credit. */
    allocation: z.enum(['auto', 'none']).default('auto'),
    actor: z.string().optional(),
  })
  .refine((p) => p.customerId || p.customerRef, {
    message: 'customerId or customerRef is required',
    path: ['customerId'],
  });

export type RecordPaymentInput = z.input<typeof recordPaymentInput>;

export interface RecordedPayment {
  paymentId: string;
  customerId: string;
  amount: number;
  currency: string;
  allocations: { invoiceId: string; invoiceNumber: string; amount: number }[];
  /** Left on the customer as credit. */
  unallocated: number;
  /** The allocated invoices after the payment. */
  invoices: { id: string; invoiceNumber: string; balance: number; status: string }[];
}

/**
 * Record one payment (API, customer portal, bank matching). Allocations are the debtor's
 * when given; otherwise the oldest due invoices in the payment's currency are settled first
 * (Code civil art. 1342-10). An over-payment stays unallocated on the customer; an
 * under-payment leaves a balance. A second payment with the same reference is refused.
 */
export async function recordPayment(
  db: Kysely<Database>,
  orgId: string,
  input: RecordPaymentInput,
): Promise<RecordedPayment> {
  const parsed = recordPaymentInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION',
      'Invalid payment',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
    );
  }
  const p = parsed.data;
  return withOrg(db, orgId, async (trx) => {
    const defaults = await getImportDefaults(trx, orgId);
    if (!defaults) throw notFound('Organisation', orgId);
    const currency = p.currency ?? defaults.currency;
    let customerId = p.customerId;
    if (!customerId && p.customerRef)
      customerId = (await customerIdsByRef(trx, orgId, [p.customerRef])).get(p.customerRef);
    const customer = customerId
      ? await trx
          .selectFrom('customers')
          .select('id')
          .where('org_id', '=', orgId)
          .where('id', '=', customerId)
          .executeTakeFirst()
      : undefined;
    if (!customer) throw notFound('Customer', p.customerId ?? p.customerRef ?? '');

    const existing = await trx
      .selectFrom('payments')
      .select('id')
      .where('org_id', '=', orgId)
      .where('payment_reference', '=', p.paymentReference)
      .executeTakeFirst();
    if (existing) {
      throw new AppError('CONFLICT', `A payment with reference "${p.paymentReference}" is already recorded`, [
        { field: 'paymentReference', value: p.paymentReference, reason: 'already recorded' },
      ]);
    }

    const open = await openInvoicesOfCustomers(trx, orgId, [customer.id]);
    let result: AllocationResult;
    try {
      if (p.allocations && p.allocations.length > 0) {
        const byNumber = new Map(open.map((i) => [i.invoiceNumber, i.id]));
        const requested = p.allocations.map((a) => {
          const invoiceId = a.invoiceId ?? byNumber.get(a.invoiceNumber ?? '');
          if (!invoiceId)
            throw new AllocationError(`invoice ${a.invoiceNumber} is not an open invoice of this customer`);
          return { invoiceId, amount: a.amount };
        });
        result = checkExplicitAllocations(p.amount, currency, requested, open);
      } else if (p.allocation === 'auto') {
        result = allocateOldestFirst(
          p.amount,
          currency,
          open.filter((i) => i.currency === currency),
        );
      } else result = { lines: [], allocated: 0, unallocated: p.amount };
    } catch (e) {
      if (e instanceof AllocationError) {
        throw new AppError('UNPROCESSABLE', e.message, [{ field: 'allocations', reason: e.message }]);
      }
      throw e;
    }

    const payment = await trx
      .insertInto('payments')
      .values({
        org_id: orgId,
        customer_id: customer.id,
        payment_reference: p.paymentReference,
        received_on: p.receivedOn,
        currency,
        amount_minor: p.amount,
        method: p.method,
        unallocated_minor: p.amount,
        bank_reference: p.bankReference ?? null,
        import_batch_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertAllocations(trx, orgId, {
      invoiceIds: result.lines.map((l) => l.invoiceId),
      paymentIds: result.lines.map(() => payment.id),
      creditNoteIds: result.lines.map(() => null),
      amounts: result.lines.map((l) => l.amount),
    });
    await refreshBalances(trx, orgId, { customerIds: [customer.id] });
    // Instalments of the customer's payment plan are marked paid in order at once.
    await refreshPlanProgress(trx, orgId, [customer.id], null);
    await trx
      .insertInto('ledger_history')
      .values({
        org_id: orgId,
        entity: 'payment',
        entity_id: payment.id,
        action: 'created',
        changes: JSON.stringify({ amount_minor: p.amount, currency, allocations: result.lines }),
        import_batch_id: null,
        actor: p.actor ?? null,
      })
      .execute();

    const numbers = new Map(open.map((i) => [i.id, i.invoiceNumber]));
    const ids = result.lines.map((l) => l.invoiceId);
    const after =
      ids.length === 0
        ? []
        : await trx
            .selectFrom('invoices')
            .select(['id', 'invoice_number', 'balance_minor', 'status'])
            .where('org_id', '=', orgId)
            .where('id', 'in', ids)
            .execute();
    return {
      paymentId: payment.id,
      customerId: customer.id,
      amount: p.amount,
      currency,
      allocations: result.lines.map((l) => ({ ...l, invoiceNumber: numbers.get(l.invoiceId) ?? '' })),
      unallocated: result.unallocated,
      invoices: after.map((i) => ({
        id: i.id,
        invoiceNumber: i.invoice_number,
        balance: i.balance_minor,
        status: i.status,
      })),
    };
  });
}
