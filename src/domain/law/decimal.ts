import { Decimal } from 'decimal.js';

/**
 * The law engine's decimal: 40 significant digits so per-day interest on any realistic
 * amount keeps far more precision than the cent it is finally rounded to, and half-up
 * (commercial) rounding like the money module.
 */
export const LawDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type LawDecimal = InstanceType<typeof LawDecimal>;

export const dec = (v: Decimal.Value): LawDecimal => new LawDecimal(v);
export const ZERO = new LawDecimal(0);
