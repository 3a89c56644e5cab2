import { describe, expect, it } from 'vitest';
import { generatePortfolio } from '../../../src/demo/generate-portfolio.js';
import { toDay } from '../../../src/domain/scoring/days.js';

/** Days from due date to the last payment of each fully paid, single-due invoice, per customer. */
function delays(p: ReturnType<typeof generatePortfolio>) {
  const payDay = new Map(p.payments.map((x) => [x.id, toDay(x.receivedOn)]));
  const last = new Map<string, number>();
  for (const a of p.allocations) {
    if (!a.paymentId) continue;
    const d = payDay.get(a.paymentId) as number;
    last.set(a.invoiceId, Math.max(last.get(a.invoiceId) ?? -Infinity, d));
  }
  const split = new Set(p.instalments.map((i) => i.invoiceId));
  return p.invoices
    .filter((i) => last.has(i.id) && !split.has(i.id))
    .map((i) => ({
      customerId: i.customerId,
      issue: toDay(i.issueDate),
      dueMonth: new Date(`${i.dueDate}T00:00:00Z`).getUTCMonth(),
      late: (last.get(i.id) as number) - toDay(i.dueDate),
    }));
}

describe('demo payment habits (what the risk model learns from)', () => {
  const p = generatePortfolio({ customers: 300, invoices: 12_000, seed: 5, today: '2026-03-15' });
  const d = delays(p);

  it("keeps each customer's own habit within its behaviour: its early and later invoices are paid alike", () => {
    const slightlyLate = new Set(p.customers.filter((c) => c.behaviour === 'slightly_late').map((c) => c.id));
    const by = new Map<string, number[]>();
    for (const x of [...d].filter((y) => slightlyLate.has(y.customerId)).sort((a, b) => a.issue - b.issue)) {
      const l = by.get(x.customerId) ?? [];
      l.push(x.late);
      by.set(x.customerId, l);
    }
    const pairs: [number, number][] = [];
    for (const l of by.values()) {
      if (l.length < 8) continue;
      const h = Math.floor(l.length / 2);
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      pairs.push([mean(l.slice(0, h)), mean(l.slice(h))]);
    }
    expect(pairs.length).toBeGreaterThan(20);
    const mx = pairs.reduce((s, [a]) => s + a, 0) / pairs.length;
    const my = pairs.reduce((s, [, b]) => s + b, 0) / pairs.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (const [a, b] of pairs) {
      sxy += (a - mx) * (b - my);
      sxx += (a - mx) ** 2;
      syy += (b - my) ** 2;
    }
    expect(sxy / Math.sqrt(sxx * syy)).toBeGreaterThan(0.4);
  });

  it('pays later when the due date falls in August or December', () => {
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const slow = d.filter((x) => x.dueMonth === 7 || x.dueMonth === 11).map((x) => x.late);
    const other = d.filter((x) => x.dueMonth !== 7 && x.dueMonth !== 11).map((x) => x.late);
    expect(slow.length).toBeGreaterThan(100);
    expect(mean(slow)).toBeGreaterThan(mean(other) + 2);
  });
});
