import type { ActionItem, PlannedAction } from '../../domain/dunning/index.js';

/** What an outbox row carries besides its columns (stored in `dunning_actions.items`). */
export interface ActionPayload {
  items: PlannedAction['items'];
  statementItems: PlannedAction['statementItems'];
  totals: PlannedAction['totals'];
  stepLabel: string;
  tone: PlannedAction['tone'];
  taskKind: PlannedAction['taskKind'];
  decisionTask: PlannedAction['decisionTask'];
  sideEffects: PlannedAction['sideEffects'];
  deadlineDays: number | null;
}

/** An ActionItem as a positional tuple, in this order (see decision 019). */
type ItemTuple = [
  invoiceId: string,
  invoiceNumber: string,
  instalmentSeq: number | null,
  issueDate: string | null,
  dueDate: string,
  amountMinor: number,
  balanceMinor: number,
  currency: string,
  daysLate: number,
  stepKey: string,
];

/** The stored form: version 2 lists items as tuples. Version 1 (no `v`) was the payload itself. */
export interface StoredActionPayload extends Omit<ActionPayload, 'items' | 'statementItems'> {
  v: 2;
  items: ItemTuple[];
  statementItems: ItemTuple[];
}

function toTuple(i: ActionItem): ItemTuple {
  return [
    i.invoiceId,
    i.invoiceNumber,
    i.instalmentSeq,
    i.issueDate,
    i.dueDate,
    i.amountMinor,
    i.balanceMinor,
    i.currency,
    i.daysLate,
    i.stepKey,
  ];
}

function fromTuple(t: ItemTuple): ActionItem {
  return {
    invoiceId: t[0],
    invoiceNumber: t[1],
    instalmentSeq: t[2],
    issueDate: t[3],
    dueDate: t[4],
    amountMinor: t[5],
    balanceMinor: t[6],
    currency: t[7],
    daysLate: t[8],
    stepKey: t[9],
  };
}

/**
 * Key names were about half of each item's bytes, and PostgreSQL parses every byte of a
 * run's outbox into jsonb: tuples shrink the run's largest write without dropping a field.
 */
export function encodeActionPayload(p: ActionPayload): StoredActionPayload {
  return { ...p, v: 2, items: p.items.map(toTuple), statementItems: p.statementItems.map(toTuple) };
}

/** Reads either stored version, so rows planned before decision 019 are still delivered. */
export function decodeActionPayload(stored: unknown): ActionPayload {
  const s = stored as StoredActionPayload | ActionPayload;
  if (!('v' in s) || s.v !== 2) return s as ActionPayload;
  const { v: _v, ...rest } = s;
  return { ...rest, items: s.items.map(fromTuple), statementItems: s.statementItems.map(fromTuple) };
}
