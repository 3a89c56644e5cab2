import type { Kysely } from 'kysely';
import { listDisputes, listPauses, listPromises } from '../db/queries/customer-file.js';
import { findCustomerByRef } from '../db/queries/law-case.js';
import type { Database } from '../db/schema/index.js';
import { compareDates, type IsoDate } from '../domain/calendar/index.js';
import { AppError, type ErrorDetail } from '../errors.js';

/**
 * Which record a `relance case` command acts on. The API addresses pauses, promises and
 * disputes by id; on the command line a collector knows the customer's reference (and the
 * invoice number), so the one live record of that customer is taken, an explicit id or
 * invoice picks among several, and the error lists the choices. Whether the chosen record
 * can still be acted on (ended, resolved…) is the use case's decision, not this file's.
 */

export interface CaseCustomer {
  id: string;
  ref: string;
  name: string;
}

export async function caseCustomer(trx: Kysely<Database>, orgId: string, ref: string): Promise<CaseCustomer> {
  const c = await findCustomerByRef(trx, orgId, ref);
  if (!c) {
    throw new AppError('NOT_FOUND', `no customer with reference "${ref}"`, [
      { field: 'customer', value: ref, reason: 'unknown customer reference' },
    ]);
  }
  return { id: c.id, ref, name: c.name };
}

interface Choice<T> {
  /** What `live` holds ("open dispute"), and the record's plain name ("dispute"). */
  what: string;
  noun: string;
  option: string;
  /** The value the option takes for a row (its id, or its invoice number). */
  key: (x: T) => string;
  describe: (x: T) => string;
}

/** One of `live`, or the record named by the option; the messages name the option to use. */
function pick<T>(c: Choice<T>, customer: CaseCustomer, all: T[], live: T[], chosen: string | undefined): T {
  const { what, option } = c;
  const field = option.replace(/^--/, '');
  if (chosen !== undefined) {
    // Matched among the customer's own rows: an id of another customer is "not found" here,
    // and a malformed id never reaches a uuid column.
    const hit = all.find((x) => c.key(x) === chosen);
    if (!hit) {
      throw new AppError('NOT_FOUND', `${option} ${chosen}: not found for customer ${customer.ref}`, [
        { field, value: chosen, reason: `not among the ${c.noun}s of ${customer.ref}` },
      ]);
    }
    return hit;
  }
  const [only, ...more] = live;
  if (!only) throw new AppError('NOT_FOUND', `customer ${customer.ref} has no ${what} to act on`);
  if (more.length > 0) {
    const details: ErrorDetail[] = live.map((x) => ({ field, value: c.key(x), reason: c.describe(x) }));
    throw new AppError(
      'VALIDATION',
      `customer ${customer.ref} has ${live.length} ${what}s: choose one with ${option}`,
      details,
    );
  }
  return only;
}

type Pause = Awaited<ReturnType<typeof listPauses>>[number];
type PromiseRow = Awaited<ReturnType<typeof listPromises>>[number];
type Dispute = Awaited<ReturnType<typeof listDisputes>>[number];

export const describePause = (p: Pause) =>
  `${p.invoice_number ? `invoice ${p.invoice_number}` : 'whole account'} until ${p.until}`;

/** A pause still holding dunning today (not ended, not past its last day). */
export async function casePause(
  trx: Kysely<Database>,
  orgId: string,
  customer: CaseCustomer,
  chosen: string | undefined,
  today: IsoDate,
): Promise<Pause> {
  const all = await listPauses(trx, orgId, customer.id);
  const live = all.filter((p) => p.cancelled_at === null && compareDates(p.until, today) >= 0);
  return pick(
    { what: 'pause', noun: 'pause', option: '--pause', key: (p) => p.id, describe: describePause },
    customer,
    all,
    live,
    chosen,
  );
}

export async function casePromise(
  trx: Kysely<Database>,
  orgId: string,
  customer: CaseCustomer,
  chosen: string | undefined,
): Promise<PromiseRow> {
  const all = await listPromises(trx, orgId, customer.id);
  const live = all.filter((p) => p.status === 'active');
  const choice: Choice<PromiseRow> = {
    what: 'active promise',
    noun: 'promise',
    option: '--promise',
    key: (p) => p.id,
    describe: (p) => `promised for ${p.promised_date}`,
  };
  return pick(choice, customer, all, live, chosen);
}

/**
 * The dispute of an invoice (`--invoice` is the invoice number the collector reads on the
 * file): its open one, else its latest so the use case says how it ended.
 */
export async function caseDispute(
  trx: Kysely<Database>,
  orgId: string,
  customer: CaseCustomer,
  invoiceNumber: string | undefined,
): Promise<Dispute> {
  const all = await listDisputes(trx, orgId, customer.id);
  // Newest first (listDisputes), so an invoice with only closed disputes gives its latest.
  const open = all.filter((d) => d.status === 'open');
  const ordered = [...open, ...all.filter((d) => d.status !== 'open')];
  const choice: Choice<Dispute> = {
    what: 'open dispute',
    noun: 'dispute',
    option: '--invoice',
    key: (d) => d.invoice_number,
    describe: (d) => `disputed: ${d.reason_code.replaceAll('_', ' ')}`,
  };
  return pick(choice, customer, ordered, open, invoiceNumber);
}
