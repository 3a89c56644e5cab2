import { formatMoney } from '../../domain/money/index.js';
import type { DeclarationAmounts } from '../../domain/solvency/declaration.js';
import {
  type Column,
  fields,
  heading,
  paragraph,
  type RenderedPdf,
  startPdf,
  table,
} from './document-pdf.js';

export interface ClaimDeclarationInput {
  creditor: { name: string; siren: string | null; address: string; email: string | null };
  debtor: { name: string; siren: string; address: string };
  judgment: {
    label: string;
    judgmentDate: string;
    publicationDate: string;
    announcementNumber: string;
    tribunal: string | null;
    mandataire: string | null;
    declarationDeadline: string | null;
    reservationDeadline: string | null;
  };
  amounts: DeclarationAmounts;
  reservationOfTitle: boolean;
  supportingDocuments: string[];
  signatory: string;
  place: string;
  date: string;
  createdAt: Date;
}

const fr = (d: string) => d.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');

const COLUMNS: Column[] = [
  { title: 'Facture n°', widthMm: 32 },
  { title: 'Émise le', widthMm: 22 },
  { title: 'Échéance', widthMm: 22 },
  { title: 'Nature', widthMm: 22 },
  { title: 'Principal dû', widthMm: 32, align: 'right' },
  { title: 'Intérêts au jugement', widthMm: 34, align: 'right' },
];

/**
 * The "déclaration de créance" a creditor sends to the mandataire judiciaire (or the
 * liquidator) named in the BODACC notice: L622-24 to L622-26 and R622-21 to R622-25
 * C. com. It states the amount at the judgment date, split échu / à échoir, the interest
 * rule, any security or reservation of title (L624-9), and lists the supporting documents.
 */
export async function renderClaimDeclarationPdf(input: ClaimDeclarationInput): Promise<RenderedPdf> {
  const { page: p, finish } = startPdf({
    title: `Déclaration de créance — ${input.debtor.name}`,
    author: input.creditor.name,
    createdAt: input.createdAt,
    strict: false,
  });
  const money = (amount: number) => formatMoney({ amount, currency: input.amounts.currency }, 'fr-FR');
  const j = input.judgment;
  p.doc.font(p.bold).fontSize(11).text(p.t(input.creditor.name), p.left, p.doc.y, { width: p.width });
  paragraph(
    p,
    [
      input.creditor.address,
      input.creditor.siren ? `SIREN ${input.creditor.siren}` : '',
      input.creditor.email ?? '',
    ]
      .filter(Boolean)
      .join('\n'),
    { size: 9 },
  );
  paragraph(
    p,
    `À l’attention du mandataire judiciaire / liquidateur :\n${j.mandataire ?? 'mandataire désigné par le jugement (non identifié dans l’annonce BODACC)'}`,
    { size: 10 },
  );
  paragraph(p, `${input.place}, le ${fr(input.date)}`, { size: 10 });
  heading(p, 'DÉCLARATION DE CRÉANCE', 14);
  paragraph(p, '(articles L622-24 et suivants, R622-21 et suivants du Code de commerce)', { size: 9 });
  heading(p, 'Débiteur');
  fields(p, [
    ['Dénomination', input.debtor.name],
    ['SIREN', input.debtor.siren],
    ['Adresse', input.debtor.address || 'non renseignée'],
  ]);
  heading(p, 'Jugement');
  fields(p, [
    ['Nature', j.label],
    ['Date du jugement', fr(j.judgmentDate)],
    ['Tribunal', j.tribunal ?? 'non précisé'],
    ['Publication BODACC', `${fr(j.publicationDate)}, annonce n° ${j.announcementNumber}`],
    [
      'Délai de déclaration',
      j.declarationDeadline ? `${fr(j.declarationDeadline)} (art. R622-24 C. com.)` : 'voir jugement',
    ],
  ]);
  heading(p, 'Montant de la créance au jour du jugement d’ouverture');
  table(p, COLUMNS, [
    ...input.amounts.lines.map((l) => ({
      cells: [
        l.invoiceNumber,
        fr(l.issueDate),
        fr(l.dueDate),
        l.status === 'echu' ? 'échu' : 'à échoir',
        money(l.balanceMinor),
        money(l.interestMinor),
      ],
    })),
    { cells: ['Total échu', '', '', '', money(input.amounts.echuMinor), ''], bold: true },
    { cells: ['Total à échoir', '', '', '', money(input.amounts.aEchoirMinor), ''], bold: true },
    { cells: ['Intérêts échus au jugement', '', '', '', '', money(input.amounts.interestMinor)], bold: true },
    { cells: ['MONTANT DÉCLARÉ', '', '', '', money(input.amounts.totalMinor), ''], bold: true },
  ]);
  paragraph(
    p,
    `Créance déclarée à titre chirographaire pour un montant total de ${money(input.amounts.totalMinor)}, dont ${money(input.amounts.echuMinor)} échus et ${money(input.amounts.aEchoirMinor)} à échoir (art. R622-23 C. com.).`,
  );
  heading(p, 'Intérêts');
  paragraph(
    p,
    'Le jugement d’ouverture arrête le cours des intérêts légaux et conventionnels ainsi que de tous intérêts de retard et majorations (art. L622-28 C. com.). Les intérêts déclarés sont ceux courus jusqu’à la date du jugement, calculés au taux des pénalités de retard (art. L441-10 C. com.).',
  );
  heading(p, 'Sûretés et réserve de propriété');
  paragraph(
    p,
    input.reservationOfTitle
      ? `Les marchandises ont été vendues avec clause de réserve de propriété. Le créancier se réserve le droit de les revendiquer dans le délai de trois mois suivant la publication du jugement d’ouverture, soit au plus tard le ${j.reservationDeadline ? fr(j.reservationDeadline) : '—'} (art. L624-9 et R624-13 C. com.).`
      : `Aucune sûreté déclarée. Si des biens ont été vendus avec clause de réserve de propriété, leur revendication doit intervenir dans les trois mois de la publication du jugement, soit au plus tard le ${j.reservationDeadline ? fr(j.reservationDeadline) : '—'} (art. L624-9 C. com.).`,
  );
  heading(p, 'Pièces justificatives jointes');
  paragraph(p, input.supportingDocuments.map((d) => `• ${d}`).join('\n'), { size: 9.5 });
  heading(p, 'Certification et signature');
  paragraph(
    p,
    `Je soussigné(e), ${input.signatory}, agissant pour le compte de ${input.creditor.name}, certifie sincère et véritable la présente déclaration de créance (art. L622-25 C. com.).`,
  );
  paragraph(
    p,
    `Fait à ${input.place}, le ${fr(input.date)}\n\nSignature :\n\n\n______________________________`,
  );
  return finish((n, count) => `Déclaration de créance — ${input.debtor.name} — page ${n}/${count}`);
}
