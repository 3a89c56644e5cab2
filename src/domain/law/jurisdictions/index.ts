import { AppError } from '../../../errors.js';
import { JURISDICTION_CODES, type Jurisdiction, type JurisdictionCode } from '../types.js';
import { germany } from './de.js';
import { europeanUnion } from './eu.js';
import { france } from './fr.js';
import { unitedKingdom } from './gb.js';

const registry: Record<JurisdictionCode, Jurisdiction> = {
  FR: france,
  DE: germany,
  GB: unitedKingdom,
  EU: europeanUnion,
};

/** 'UK' is accepted as an alias of GB: users type it. */
export function getJurisdiction(code: string, field = 'jurisdiction'): Jurisdiction {
  const normalised = code.trim().toUpperCase();
  const key = normalised === 'UK' ? 'GB' : normalised;
  if ((JURISDICTION_CODES as readonly string[]).includes(key)) return registry[key as JurisdictionCode];
  throw new AppError(
    'VALIDATION',
    `${field}: unknown jurisdiction "${code}" (known: ${JURISDICTION_CODES.join(', ')})`,
    [{ field, value: code, reason: `unknown jurisdiction; known: ${JURISDICTION_CODES.join(', ')}` }],
  );
}

export { europeanUnion, france, germany, unitedKingdom };
