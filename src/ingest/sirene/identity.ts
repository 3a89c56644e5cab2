/** A company's identity as INSEE SIRENE gives it (unité légale), whatever the source. */
export interface CompanyIdentity {
  siren: string;
  legalName: string | null;
  /** etatAdministratifUniteLegale: A active, C cessée. */
  status: 'A' | 'C';
  /** Start of the current period (dateDebut): for a ceased company, the day it ceased. */
  statusSince: string | null;
  creationDate: string | null;
  /** categorieJuridiqueUniteLegale (INSEE legal-form code, e.g. 5710 SAS). */
  legalForm: string | null;
  nafCode: string | null;
  /** trancheEffectifsUniteLegale (INSEE band code: NN, 00, 01, 02, 03, 11 … 53). */
  headcountBand: string | null;
  /** categorieEntreprise: PME, ETI, GE. */
  companyCategory: string | null;
  headOfficeSiret: string | null;
  address: string | null;
  sourceUpdatedAt: string | null;
}

/** The unité légale's display name: its denomination, or a sole trader's first and last name. */
export function legalNameOf(get: (field: string) => string | null): string | null {
  const denomination = get('denominationUniteLegale') ?? get('denominationUsuelle1UniteLegale');
  if (denomination) return denomination;
  const first = get('prenomUsuelUniteLegale') ?? get('prenom1UniteLegale');
  const last = get('nomUsageUniteLegale') ?? get('nomUniteLegale');
  const name = [first, last].filter(Boolean).join(' ');
  return name === '' ? null : name;
}

/** Headcount band codes → label (INSEE "tranche d'effectif salarié"). */
export const HEADCOUNT_BANDS: Record<string, { label: string; min: number }> = {
  NN: { label: 'non employeuse', min: 0 },
  '00': { label: '0 salarié', min: 0 },
  '01': { label: '1 ou 2 salariés', min: 1 },
  '02': { label: '3 à 5 salariés', min: 3 },
  '03': { label: '6 à 9 salariés', min: 6 },
  '11': { label: '10 à 19 salariés', min: 10 },
  '12': { label: '20 à 49 salariés', min: 20 },
  '21': { label: '50 à 99 salariés', min: 50 },
  '22': { label: '100 à 199 salariés', min: 100 },
  '31': { label: '200 à 249 salariés', min: 200 },
  '32': { label: '250 à 499 salariés', min: 250 },
  '41': { label: '500 à 999 salariés', min: 500 },
  '42': { label: '1 000 à 1 999 salariés', min: 1000 },
  '51': { label: '2 000 à 4 999 salariés', min: 2000 },
  '52': { label: '5 000 à 9 999 salariés', min: 5000 },
  '53': { label: '10 000 salariés et plus', min: 10000 },
};
