import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  customerInvoiceScores,
  customerScoreHistory,
  customersAtRisk,
  listRiskModels,
} from '../../db/queries/risk.js';
import { notFound } from '../../errors.js';
import { forecastCashInForOrg } from '../../services/scoring/forecast-cash-in.js';
import { trainRiskModelForOrg } from '../../services/scoring/train-risk-model.js';
import { type ApiDeps, inOrg, orgToday } from '../context.js';
import { adminRoles, readRoles } from '../plugins/auth.js';
import { idParam, isoDate, moneySchema, problemResponses, toMoney } from '../schemas/common.js';

const band = z.enum(['faible', 'moyen', 'eleve', 'critique']);
const factor = z.object({
  feature: z.string(),
  weight: z.number().describe('Log-odds this factor adds to "paid late" (positive = riskier)'),
  value: z.number(),
  fr: z.string(),
  en: z.string(),
});
const customerRisk = z
  .object({
    customerId: z.uuid(),
    externalRef: z.string(),
    name: z.string(),
    scoredOn: isoDate,
    modelVersion: z.number().int(),
    score: z.number().int().min(0).max(100),
    band,
    pLate: z.number(),
    factors: z.array(factor),
  })
  .meta({ id: 'CustomerRisk' });

const invoiceRisk = z
  .object({
    invoiceId: z.uuid(),
    invoiceNumber: z.string(),
    dueDate: isoDate,
    balanceDue: moneySchema,
    modelVersion: z.number().int(),
    pLate: z.number(),
    pUnpaid30: z.number(),
    pUnpaid60: z.number(),
    pUnpaid90: z.number(),
    expectedDate: isoDate,
    p10Date: isoDate,
    p50Date: isoDate,
    p90Date: isoDate,
  })
  .meta({ id: 'InvoiceRisk' });

const modelVersion = z
  .object({
    version: z.number().int(),
    kind: z.enum(['gbdt', 'prior']),
    trainedAt: z.string(),
    trainedUntil: isoDate,
    trainingRows: z.number().int(),
    note: z.string().nullable(),
    metrics: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'RiskModelVersion' });

const forecastWeek = z.object({
  weekStart: isoDate,
  expected: moneySchema,
  p10: moneySchema,
  p90: moneySchema,
  naive: moneySchema.describe('Every balance collected on its due date'),
});
const errorPair = z.object({ mape: z.number().nullable(), bias: z.number().nullable() });
const num = (v: number) => (Number.isFinite(v) ? v : null);

export const riskRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/risk/customers',
    {
      schema: {
        tags: ['risk'],
        summary: 'Customers at risk: latest score (0–100), band and top factors, riskiest first',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(20),
          minScore: z.coerce.number().int().min(0).max(100).default(0),
        }),
        response: { 200: z.object({ items: z.array(customerRisk) }), ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => ({
        items: (await customersAtRisk(trx, auth.orgId, request.query.limit, request.query.minScore)).map(
          (c) => ({
            ...c,
            band: c.band as z.infer<typeof band>,
            factors: c.factors as z.infer<typeof factor>[],
          }),
        ),
      })),
  );

  app.get(
    '/customers/:id/risk',
    {
      schema: {
        tags: ['risk'],
        summary: "A customer's risk: latest score and factors, daily history, open invoices' predictions",
        params: idParam,
        response: {
          200: z.object({
            current: customerRisk.nullable(),
            history: z.array(
              z.object({ scoredOn: isoDate, score: z.number().int(), band, modelVersion: z.number().int() }),
            ),
            invoices: z.array(invoiceRisk),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const id = request.params.id;
        const exists = await trx
          .selectFrom('customers')
          .select('id')
          .where('org_id', '=', auth.orgId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (!exists) throw notFound('Customer', id);
        const history = await customerScoreHistory(trx, auth.orgId, id);
        const all = await customersAtRisk(trx, auth.orgId, Number.MAX_SAFE_INTEGER);
        const current = all.find((c) => c.customerId === id) ?? null;
        const invoices = await customerInvoiceScores(trx, auth.orgId, id);
        return {
          current: current
            ? {
                ...current,
                band: current.band as z.infer<typeof band>,
                factors: current.factors as z.infer<typeof factor>[],
              }
            : null,
          history: history.map((h) => ({
            scoredOn: h.scoredOn,
            score: h.score,
            band: h.band as z.infer<typeof band>,
            modelVersion: h.modelVersion,
          })),
          invoices: invoices.map((r) => ({
            invoiceId: r.invoice_id,
            invoiceNumber: r.invoice_number,
            dueDate: r.due_date,
            balanceDue: toMoney(Number(r.balance_minor), r.currency),
            modelVersion: r.model_version,
            pLate: r.p_late,
            pUnpaid30: r.p_unpaid_30,
            pUnpaid60: r.p_unpaid_60,
            pUnpaid90: r.p_unpaid_90,
            expectedDate: r.expected_date,
            p10Date: r.p10_date,
            p50Date: r.p50_date,
            p90Date: r.p90_date,
          })),
        };
      }),
  );

  app.get(
    '/forecast',
    {
      schema: {
        tags: ['risk'],
        summary:
          'Expected cash-in per week and currency (P10/P90), with a backtest next to the naive forecast',
        querystring: z.object({
          weeks: z.coerce.number().int().min(1).max(52).default(13),
          asOf: isoDate.optional().describe("Default today in the organisation's time zone"),
        }),
        response: {
          200: z.object({
            fromDate: isoDate,
            weeks: z.number().int(),
            modelVersion: z.number().int().nullable(),
            modelKind: z.enum(['gbdt', 'prior']),
            currencies: z.array(
              z.object({ currency: z.string(), later: moneySchema, weeks: z.array(forecastWeek) }),
            ),
            backtest: z.array(
              z.object({ currency: z.string(), fromDate: isoDate, model: errorPair, naive: errorPair }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const today = request.query.asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const f = await forecastCashInForOrg(trx, auth.orgId, { today, weeks: request.query.weeks });
        return {
          fromDate: f.fromDate,
          weeks: f.weeks,
          modelVersion: f.modelVersion,
          modelKind: f.modelKind,
          currencies: f.currencies.map((c) => ({
            currency: c.currency,
            later: toMoney(c.laterMinor, c.currency),
            weeks: c.weeks.map((w) => ({
              weekStart: w.weekStart,
              expected: toMoney(w.expectedMinor, c.currency),
              p10: toMoney(w.p10Minor, c.currency),
              p90: toMoney(w.p90Minor, c.currency),
              naive: toMoney(w.naiveMinor, c.currency),
            })),
          })),
          backtest: f.backtest.map((b) => ({
            currency: b.currency,
            fromDate: b.fromDate,
            model: { mape: num(b.model.mape), bias: num(b.model.bias) },
            naive: { mape: num(b.naive.mape), bias: num(b.naive.bias) },
          })),
        };
      }),
  );

  app.get(
    '/risk/models',
    {
      schema: {
        tags: ['risk'],
        summary: 'Model versions with their holdout metrics, newest first',
        response: { 200: z.object({ items: z.array(modelVersion) }), ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => ({
        items: (await listRiskModels(trx, auth.orgId)).map((m) => ({
          ...m,
          trainedAt: new Date(m.trainedAt).toISOString(),
        })),
      })),
  );

  app.post(
    '/risk/models',
    {
      schema: {
        tags: ['risk'],
        summary: 'Train a new model version on the paid history and score the portfolio with it',
        response: {
          201: z.object({
            version: z.number().int(),
            kind: z.enum(['gbdt', 'prior']),
            trainingRows: z.number().int(),
            note: z.string().nullable(),
            scoredInvoices: z.number().int(),
            scoredCustomers: z.number().int(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) =>
      inOrg(deps, request, adminRoles, async (trx, auth) => {
        const today = await orgToday(trx, auth.orgId, deps.now());
        const r = await trainRiskModelForOrg(trx, auth.orgId, { today });
        reply.code(201);
        return {
          version: r.version,
          kind: r.kind,
          trainingRows: r.trainingRows,
          note: r.note,
          scoredInvoices: r.scores.invoices,
          scoredCustomers: r.scores.customers,
        };
      }),
  );
};
