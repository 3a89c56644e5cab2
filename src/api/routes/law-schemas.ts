import { z } from 'zod';
import { isoDate } from '../schemas/common.js';

/** Money as the law engine returns it: integer minor units and the ISO currency. */
const lawMoney = z.object({ amount: z.number().int(), currency: z.string() }).meta({ id: 'LawMoney' });

const warning = z.object({ code: z.string(), message: z.string(), period: z.string().optional() });

const rowRef = z.object({
  series: z.string(),
  effectiveFrom: z.string(),
  rate: z.string(),
  source: z.string().describe('Official citation (press release, arrêté, Bundesbank series, BoE history)'),
  status: z.enum(['verified', 'corrected', 'unverified']),
  provisional: z.boolean(),
  origin: z.enum(['built-in', 'organisation']),
});

export const penaltyStatementSchema = z
  .object({
    jurisdiction: z.string(),
    kind: z.enum(['b2b', 'b2c']),
    currency: z.string(),
    principal: lawMoney,
    dueDate: z.string(),
    until: z.string(),
    noticeDate: z.string().nullable(),
    dayCount: z.string(),
    interestFrom: z.string().nullable(),
    interestReference: z.string(),
    contractualRate: z.string().nullable(),
    lines: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        period: z.string(),
        days: z.number().int(),
        dayBasis: z.number().int(),
        base: z.string().describe('Principal the interest runs on, exact decimal'),
        ratePct: z.string(),
        rateKind: z.enum(['statutory', 'contractual', 'floor']),
        rateBasis: z.string(),
        rows: z.array(rowRef),
        interestExact: z.string(),
        interest: lawMoney,
      }),
    ),
    payments: z.array(
      z.object({
        date: z.string(),
        amount: lawMoney,
        toCosts: lawMoney,
        toInterest: lawMoney,
        toPrincipal: lawMoney,
        overpayment: lawMoney,
        exact: z.object({
          toCosts: z.string(),
          toInterest: z.string(),
          toPrincipal: z.string(),
          overpayment: z.string(),
        }),
        order: z.array(z.string()),
      }),
    ),
    imputation: z.object({ order: z.array(z.string()), reference: z.string() }),
    indemnity: z.object({ amount: lawMoney, reference: z.string(), waived: z.boolean() }).nullable(),
    collectionFees: z.object({ allowed: z.boolean(), reference: z.string() }),
    penaltiesWaived: z.boolean(),
    totals: z.object({
      interestAccrued: lawMoney,
      interestPaid: lawMoney,
      interestOutstanding: lawMoney,
      interestWaived: lawMoney.nullable(),
      principalPaid: lawMoney,
      principalOutstanding: lawMoney,
      indemnityOutstanding: lawMoney,
      overpayment: lawMoney,
      totalDue: lawMoney,
    }),
    warnings: z.array(warning),
    rateStatus: z
      .enum(['verified', 'unverified'])
      .describe('unverified when a rate row used has no official confirmation (named in warnings)'),
    rateSources: z.array(rowRef),
    references: z.array(z.string()),
    rounding: z.string(),
  })
  .meta({ id: 'PenaltyStatement' });

/** The calculator's input, as `relance penalties` takes it: amounts are decimal strings. */
export const penaltyRequestSchema = z
  .object({
    jurisdiction: z.string().min(2).max(3).describe('FR, DE, GB (or UK) or EU'),
    kind: z.string().default('b2b').describe('b2b or b2c'),
    amount: z.string().min(1).describe('Principal in major units, e.g. "10000.00" or "10 000,00"'),
    currency: z.string().length(3).optional().describe('ISO 4217; EUR by default, GBP for GB'),
    dueDate: z.string().describe('YYYY-MM-DD'),
    until: z.string().optional().describe("YYYY-MM-DD; the organisation's today by default"),
    payments: z
      .array(z.object({ date: z.string(), amount: z.string().min(1) }))
      .max(1000)
      .default([]),
    contractualRate: z.string().optional().describe('Contractual rate, percent a year'),
    noticeDate: z.string().optional().describe('Date of the formal notice'),
    dayCount: z.string().optional().describe('act/365 (default), act/366-leap or 30/360'),
    waivePenalties: z.boolean().optional(),
    waiveIndemnity: z.boolean().optional(),
  })
  .meta({ id: 'PenaltyRequest' });

export const documentQuery = z.object({
  date: isoDate
    .optional()
    .describe("Letter date, penalties computed to it; the organisation's today by default"),
  deadlineDays: z.coerce.number().int().min(8).max(60).optional().describe('Days to pay (15 by default)'),
  currency: z.string().length(3).optional().describe("One claim per currency: the organisation's by default"),
});

const feeLine = z.object({ label: z.string(), expected: lawMoney });

export const escalationEstimateSchema = z
  .object({
    date: z.string(),
    currency: z.string(),
    claim: z.object({ principal: lawMoney, interest: lawMoney, indemnity: lawMoney, total: lawMoney }),
    court: z
      .object({
        court: z.enum(['tribunal_de_commerce', 'tribunal_judiciaire']),
        label: z.string(),
        injonctionForm: z.string(),
        department: z.string(),
        rule: z.string(),
        notes: z.array(z.string()),
      })
      .nullable(),
    courtUnavailable: z.string().nullable(),
    smallClaims: z
      .object({
        eligible: z.boolean(),
        amount: lawMoney,
        cap: lawMoney,
        reference: z.string(),
        note: z.string(),
      })
      .nullable(),
    smallClaimsUnavailable: z.string().nullable(),
    recoveryProbability: z.string(),
    settingsSource: z.enum(['defaults', 'organisation']),
    routes: z.array(
      z.object({
        key: z.enum(['injonction_de_payer', 'agency']),
        label: z.string(),
        result: z.object({
          expectedRecovery: lawMoney,
          expectedFees: lawMoney,
          expectedNet: lawMoney,
          worthIt: z.boolean(),
          fees: z.array(feeLine),
        }),
      }),
    ),
  })
  .meta({ id: 'EscalationEstimate' });

export const limitationQuery = z.object({
  date: isoDate.optional().describe("Today by default (the organisation's time zone)"),
  horizonDays: z.coerce.number().int().min(1).max(365).default(90),
  includeLapsed: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export const limitationWarningSchema = z
  .object({
    invoiceId: z.uuid(),
    invoiceNumber: z.string(),
    customerId: z.uuid(),
    customerName: z.string(),
    customerRef: z.string(),
    kind: z.enum(['b2b', 'b2c']),
    balance: lawMoney,
    start: z.string(),
    startBasis: z.string(),
    deadline: z.string(),
    state: z.enum(['warning', 'lapsed']),
    daysLeft: z.number().int(),
    threshold: z.number().int().nullable(),
    reference: z.string(),
  })
  .meta({ id: 'LimitationWarning' });
