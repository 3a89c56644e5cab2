import { currencyExponent, isCurrency, type Money, money } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';

/**
 * ISO 20022 amounts are xs:decimal strings without sign (the direction is CdtDbtInd).
 * Read them digit by digit into minor units; a float would turn 0.29 into 0.28999….
 */
export function parseCamtAmount(
  text: string | undefined,
  currency: string | undefined,
  where: string,
): Money {
  const value = (text ?? '').trim();
  const ccy = (currency ?? '').trim();
  if (!/^[A-Z]{3}$/.test(ccy) || !isCurrency(ccy)) {
    throw new AppError('IMPORT_REJECTED', `${where}: unknown currency "${ccy}"`, [
      { field: `${where}/@Ccy`, value: ccy, reason: 'must be an ISO 4217 currency code' },
    ]);
  }
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(value);
  if (!match?.[1]) {
    throw new AppError('IMPORT_REJECTED', `${where}: "${value}" is not an amount`, [
      { field: where, value, reason: 'must be a decimal number without sign' },
    ]);
  }
  const exponent = currencyExponent(ccy);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    throw new AppError('IMPORT_REJECTED', `${where}: "${value}" has more decimals than ${ccy} allows`, [
      { field: where, value, reason: `at most ${exponent} decimals for ${ccy}` },
    ]);
  }
  const minor = BigInt(match[1]) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError('IMPORT_REJECTED', `${where}: "${value}" is too large`, [
      { field: where, value, reason: 'too large' },
    ]);
  }
  return money(Number(minor), ccy);
}
