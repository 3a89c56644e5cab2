/**
 * The FEC columns (article A47 A-1 LPF: 18 columns; the Montant + Sens variant; the 21-column
 * variant adding DateRglt, ModeRglt, NatOp) and the spellings software writes for them.
 */
export type FecField =
  | 'JournalCode'
  | 'JournalLib'
  | 'EcritureNum'
  | 'EcritureDate'
  | 'CompteNum'
  | 'CompteLib'
  | 'CompAuxNum'
  | 'CompAuxLib'
  | 'PieceRef'
  | 'PieceDate'
  | 'EcritureLib'
  | 'Debit'
  | 'Credit'
  | 'Montant'
  | 'Sens'
  | 'EcritureLet'
  | 'DateLet'
  | 'ValidDate'
  | 'Montantdevise'
  | 'Idevise'
  | 'DateRglt'
  | 'ModeRglt'
  | 'NatOp'
  | 'IdClient';

const FIELDS: FecField[] = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'Montant',
  'Sens',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
  'DateRglt',
  'ModeRglt',
  'NatOp',
  'IdClient',
];

/** Lower-case, accents and separators removed: "Compte Lib." → "comptelib". */
function squash(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const ALIASES: Record<string, FecField> = {
  ...Object.fromEntries(FIELDS.map((f) => [squash(f), f])),
  // Spellings seen in exports (Sage, Cegid, EBP, Quadra, ACD, Agiris…).
  journallibelle: 'JournalLib',
  comptelibelle: 'CompteLib',
  compauxlibelle: 'CompAuxLib',
  compteauxnum: 'CompAuxNum',
  compteauxlib: 'CompAuxLib',
  ecriturelibelle: 'EcritureLib',
  montantdebit: 'Debit',
  montantcredit: 'Credit',
  ecriturelettrage: 'EcritureLet',
  lettrage: 'EcritureLet',
  datelettrage: 'DateLet',
  devise: 'Idevise',
  iddevise: 'Idevise',
  montantendevise: 'Montantdevise',
  datereglement: 'DateRglt',
  modereglement: 'ModeRglt',
  natureoperation: 'NatOp',
  piecereference: 'PieceRef',
};

export function mapFecHeader(header: string): FecField | undefined {
  return ALIASES[squash(header)];
}
