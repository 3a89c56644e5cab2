import { type Money, money } from '../money/index.js';
import { failEpc } from './epc-rules.js';

/** "EUR12.3": EPC069-12 wants "EUR" then the amount with at most 2 decimals, no padding needed. */
export function formatEpcAmount(amount: Money): string {
  // String arithmetic on the minor units: the amount never passes through a float.
  const digits = String(amount.amount).padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/^0+(?=.)/, '');
  const cents = digits.slice(-2).replace(/0+$/, '');
  return `${amount.currency}${whole}${cents ? `.${cents}` : ''}`;
}

/**
 * A decimal written by a person or a file ("12.30", "0.004") to EUR minor units, exactly.
 * Refuses what the payload could not carry instead of rounding it.
 */
export function epcAmountFromDecimal(decimal: string, currency = 'EUR'): Money {
  const match = /^([0-9]{1,12})(?:\.([0-9]+))?$/.exec(decimal.trim());
  const fraction = match?.[2] ?? '';
  if (!match || fraction.replace(/0+$/, '').length > 2) {
    failEpc(`Amount "${decimal}" is not a decimal with at most 2 decimals`, [
      { field: 'amount', value: decimal, reason: 'must be a decimal number with at most 2 decimals' },
    ]);
  }
  const cents = BigInt(match[1] ?? '0') * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) {
    failEpc(`Amount "${decimal}" is too large`, [{ field: 'amount', value: decimal, reason: 'too large' }]);
  }
  return money(Number(cents), currency);
}

/** "EUR12.3" → 1230 EUR cents. */
export function parseEpcAmount(text: string): Money {
  const match = /^([A-Z]{3})([0-9]+(?:\.[0-9]{1,2})?)$/.exec(text);
  if (!match?.[1] || !match[2]) {
    failEpc(`Amount "${text}" is not of the form EUR12.34`, [
      { field: 'amount', value: text, reason: 'must be a currency code followed by a decimal amount' },
    ]);
  }
  return epcAmountFromDecimal(match[2], match[1]);
}
