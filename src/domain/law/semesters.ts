import { addDays, type IsoDate } from '../calendar/index.js';

/**
 * Half-years drive every late-payment rate in scope: L441-10 C. com. (rate in force on
 * 1 January / 1 July), the taux légal published per semester, §247 BGB and the UK Act's
 * reference dates, and Directive 2011/7/EU art. 2(12).
 */
export interface Semester {
  /** '2025-H1' */
  label: string;
  start: IsoDate;
  end: IsoDate;
}

export function semesterOf(d: IsoDate): Semester {
  const year = d.slice(0, 4);
  const h1 = d.slice(5) < '07-01';
  return h1
    ? { label: `${year}-H1`, start: `${year}-01-01`, end: `${year}-06-30` }
    : { label: `${year}-H2`, start: `${year}-07-01`, end: `${year}-12-31` };
}

export function isSemesterStart(d: IsoDate): boolean {
  return d.slice(5) === '01-01' || d.slice(5) === '07-01';
}

/** The inclusive [from, to] range cut at each 1 January and 1 July. */
export function splitBySemester(
  from: IsoDate,
  to: IsoDate,
): { from: IsoDate; to: IsoDate; semester: Semester }[] {
  const out: { from: IsoDate; to: IsoDate; semester: Semester }[] = [];
  let cursor = from;
  while (cursor <= to) {
    const semester = semesterOf(cursor);
    const end = semester.end < to ? semester.end : to;
    out.push({ from: cursor, to: end, semester });
    cursor = addDays(end, 1);
  }
  return out;
}
