import { addDays, type IsoDate, isPublicHoliday, isSunday, zonedInstant } from '../calendar/index.js';
import { localParts } from './local-time.js';
import type { DunningSettings, PostponeReason, RecentContact } from './types.js';

/**
 * Contact pressure (anti-harassment) and send-time rules. French collection practice and
 * the consumer code (Code de la consommation art. L121-1 on unfair practices; for agencies,
 * Code des procédures civiles d'exécution art. R124-4) condemn repeated or untimely
 * contacts: we cap automatic contacts per rolling week and only send on allowed days and hours.
 */

const WEEK_MS = 7 * 86_400_000;

export interface SendBlock {
  reason: PostponeReason;
  detail: string;
  nextTryAt: Date;
  nextTryDate: IsoDate;
}

function fmtMinute(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function dayBlock(date: IsoDate, s: DunningSettings): PostponeReason | null {
  if (s.noSendOnSundays && isSunday(date)) return 'sunday';
  if (s.noSendOnPublicHolidays && isPublicHoliday(date, s.holidayCountry)) return 'public_holiday';
  return null;
}

/** The first instant at or after `from` when a send is allowed in the debtor's zone. */
export function nextSendSlot(from: Date, timeZone: string, s: DunningSettings): Date {
  let t = from;
  // Each pass moves to a day start or the next day; a year of blocked days would be a misconfiguration.
  for (let i = 0; i < 800; i++) {
    const p = localParts(t, timeZone);
    const minute = p.hour * 60 + p.minute;
    if (dayBlock(p.date, s) !== null || minute >= s.sendWindowEndMinute) {
      const next = addDays(p.date, 1);
      t = zonedInstant(
        next,
        Math.floor(s.sendWindowStartMinute / 60),
        s.sendWindowStartMinute % 60,
        timeZone,
      );
      continue;
    }
    if (minute < s.sendWindowStartMinute) {
      const start = zonedInstant(
        p.date,
        Math.floor(s.sendWindowStartMinute / 60),
        s.sendWindowStartMinute % 60,
        timeZone,
      );
      // On a DST gap the start hour may not exist; never go backwards.
      t = start.getTime() > t.getTime() ? start : new Date(t.getTime() + 60_000);
      continue;
    }
    return t;
  }
  return t;
}

/** Why a send cannot happen at `now` (day or hour), with the next allowed slot; null when allowed. */
export function sendTimeBlock(now: Date, timeZone: string, s: DunningSettings): SendBlock | null {
  const p = localParts(now, timeZone);
  const minute = p.hour * 60 + p.minute;
  const day = dayBlock(p.date, s);
  let reason: PostponeReason | null = null;
  let detail = '';
  if (day === 'sunday') {
    reason = 'sunday';
    detail = `no sends on Sundays (${p.date})`;
  } else if (day === 'public_holiday') {
    reason = 'public_holiday';
    detail = `no sends on public holidays (${p.date}, ${s.holidayCountry})`;
  } else if (minute < s.sendWindowStartMinute || minute >= s.sendWindowEndMinute) {
    reason = 'quiet_hours';
    detail = `local time ${fmtMinute(minute)} in ${timeZone} is outside ${fmtMinute(s.sendWindowStartMinute)}–${fmtMinute(s.sendWindowEndMinute)}`;
  }
  if (reason === null) return null;
  const next = nextSendSlot(now, timeZone, s);
  return { reason, detail, nextTryAt: next, nextTryDate: localParts(next, timeZone).date };
}

/** Automatic contacts in the rolling 7 days before `now`, one per action. */
export function contactsInWindow(contacts: RecentContact[], now: Date): Date[] {
  const seen = new Set<string>();
  const out: Date[] = [];
  for (const c of contacts) {
    if (!c.automatic) continue;
    const age = now.getTime() - c.at.getTime();
    if (age < 0 || age >= WEEK_MS) continue;
    if (c.actionKey) {
      if (seen.has(c.actionKey)) continue;
      seen.add(c.actionKey);
    }
    out.push(c.at);
  }
  return out.sort((a, b) => a.getTime() - b.getTime());
}

/**
 * Whether one more automatic contact at `now` would exceed the limit; if so, the instant
 * enough earlier contacts leave the window (then moved to an allowed send slot).
 */
export function pressureBlock(
  contacts: Date[],
  now: Date,
  timeZone: string,
  s: DunningSettings,
): SendBlock | null {
  if (contacts.length < s.maxContactsPer7Days) return null;
  // The (n - max + 1)-th oldest contact must leave the window before another is allowed.
  const mustExpire = contacts[contacts.length - s.maxContactsPer7Days];
  const freeAt = mustExpire ? new Date(mustExpire.getTime() + WEEK_MS) : now;
  const next = nextSendSlot(freeAt, timeZone, s);
  return {
    reason: 'pressure_limit',
    detail: `${contacts.length} automatic contact(s) in the last 7 days; the limit is ${s.maxContactsPer7Days}`,
    nextTryAt: next,
    nextTryDate: localParts(next, timeZone).date,
  };
}
