import type { EvidenceEntry } from '../../domain/dunning/evidence.js';
import type { ChainVerdict } from '../../domain/dunning/index.js';
import type { FormalNotice, NoticeParty } from '../../domain/law/formal-notice.js';
import { formatMoney, type Money } from '../../domain/money/index.js';
import type { EscalationEstimate } from '../../services/law/estimate-escalation.js';
import { fields, heading, paragraph, type RenderedPdf, startPdf, table } from './document-pdf.js';
import { rateSummary } from './formal-notice-pdf.js';
import { drawLogo } from './letterhead.js';
import { longFrenchDate } from './text.js';

export interface StatementLine {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  gross: Money;
  credited: Money;
  paid: Money;
  balance: Money;
}

export interface FileDocument {
  /** Path inside the ZIP. */
  path: string;
  kind: string;
  sizeBytes: number;
  sha256: string;
}

/** Everything the escalation file prints; figures are computed before, never here. */
export interface EscalationFileModel {
  date: string;
  creditor: NoticeParty & { email?: string | null; phone?: string | null };
  debtor: NoticeParty & { kind: 'b2b' | 'b2c'; externalRef: string; country: string };
  notice: FormalNotice;
  statement: StatementLine[];
  payments: { date: string; reference: string; invoiceNumber: string; amount: Money }[];
  excluded: { invoiceNumber: string; reason: string }[];
  estimate: EscalationEstimate;
  evidence: EvidenceEntry[];
  chain: ChainVerdict;
  documents: FileDocument[];
  /** The creditor's logo (PNG or JPEG), above the title. */
  logo?: Buffer | null;
}

const eur = (m: Money) => formatMoney(m, 'fr-FR');
const short = (d: string) => d.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');
const sirenOf = (s?: string) => (s ? s.replace(/(\d{3})(?=\d)/g, '$1 ') : 'non renseigné');
const address = (p: NoticeParty) =>
  [...p.addressLines, `${p.postalCode} ${p.city}`.trim()].filter(Boolean).join(', ');
const kinds: Record<string, string> = {
  message_sent: 'Envoi',
  delivery_status: 'Distribution',
  action_planned: 'Action planifiée',
  task_created: 'Tâche',
  task_done: 'Tâche faite',
  pause: 'Pause',
  promise_to_pay: 'Promesse',
  dispute: 'Litige',
  payment: 'Paiement',
  note: 'Note',
};

/**
 * The escalation file as one PDF: summary, parties, statement of account, the claim and its
 * legal basis, the data of a requête en injonction de payer and the competent court, the
 * small-claims procedure, the cost/benefit estimate, the interest computation line by line,
 * the evidence log with the SHA-256 of every message sent, and the list of exhibits.
 */
export async function renderEscalationFilePdf(m: EscalationFileModel): Promise<RenderedPdf> {
  const n = m.notice;
  const e = m.estimate;
  const { page: p, finish } = startPdf({
    title: `Dossier de recouvrement – ${m.debtor.name}`,
    author: m.creditor.name,
    createdAt: new Date(`${m.date}T00:00:00Z`),
    strict: false,
  });

  drawLogo(p, m.logo);
  p.doc.font(p.bold).fontSize(16).text(p.t('Dossier de recouvrement'), p.left, p.doc.y, { width: p.width });
  paragraph(p, `${m.debtor.name} – créance arrêtée au ${longFrenchDate(m.date)}`, { size: 11 });
  fields(p, [
    ['Créancier', m.creditor.name],
    ['Débiteur', `${m.debtor.name} (${m.debtor.kind === 'b2b' ? 'professionnel' : 'consommateur'})`],
    ['Total réclamé', eur(n.totals.total)],
    [
      'Juridiction compétente',
      e.court
        ? `${e.court.label}, département ${e.court.department}`
        : `non déterminée : ${e.courtUnavailable}`,
    ],
    [
      "Petites créances (jusqu'à 5 000 €)",
      e.smallClaims
        ? e.smallClaims.eligible
          ? 'éligible'
          : 'non éligible'
        : `non applicable : ${e.smallClaimsUnavailable}`,
    ],
    [
      'Chaîne de preuves',
      m.chain.ok ? `intègre (${m.chain.count} entrées)` : `ROMPUE à l'entrée ${m.chain.seq}`,
    ],
  ]);

  heading(p, '1. Parties');
  fields(p, [
    ['Créancier', m.creditor.name],
    ['SIREN', sirenOf(m.creditor.siren)],
    ['TVA', m.creditor.vatNumber ?? 'non renseignée'],
    ['Adresse', address(m.creditor) || 'non renseignée'],
    ...(m.creditor.email ? [['Courriel', m.creditor.email] as [string, string]] : []),
    ...(m.creditor.phone ? [['Téléphone', m.creditor.phone] as [string, string]] : []),
  ]);
  fields(p, [
    ['Débiteur', m.debtor.name],
    ['Qualité', m.debtor.kind === 'b2b' ? 'professionnel (commerçant)' : 'consommateur'],
    ['SIREN', sirenOf(m.debtor.siren)],
    ['TVA', m.debtor.vatNumber ?? 'non renseignée'],
    ['Adresse', `${address(m.debtor)}${m.debtor.country !== 'FR' ? ` (${m.debtor.country})` : ''}`],
    ['Référence client', m.debtor.externalRef],
  ]);

  heading(p, '2. Relevé de compte');
  table(
    p,
    [
      { title: 'Facture', widthMm: 26 },
      { title: 'Émise le', widthMm: 19 },
      { title: 'Échue le', widthMm: 19 },
      { title: 'Montant TTC', widthMm: 27, align: 'right' },
      { title: 'Avoirs', widthMm: 24, align: 'right' },
      { title: 'Payé', widthMm: 27, align: 'right' },
      { title: 'Solde', widthMm: 28, align: 'right' },
    ],
    m.statement.map((s) => ({
      cells: [
        s.invoiceNumber,
        short(s.issueDate),
        short(s.dueDate),
        eur(s.gross),
        eur(s.credited),
        eur(s.paid),
        eur(s.balance),
      ],
    })),
  );
  if (m.payments.length > 0) {
    paragraph(p, 'Paiements reçus', { bold: true, size: 9.5 });
    table(
      p,
      [
        { title: 'Date', widthMm: 25 },
        { title: 'Référence', widthMm: 55 },
        { title: 'Facture', widthMm: 40 },
        { title: 'Montant', widthMm: 30, align: 'right' },
      ],
      m.payments.map((x) => ({ cells: [short(x.date), x.reference, x.invoiceNumber, eur(x.amount)] })),
    );
  }
  if (m.excluded.length > 0) {
    paragraph(p, 'Factures ouvertes non réclamées', { bold: true, size: 9.5 });
    for (const x of m.excluded) paragraph(p, `${x.invoiceNumber} : ${x.reason}`, { size: 9 });
  }

  heading(p, '3. Créance réclamée');
  table(
    p,
    [
      { title: 'Facture', widthMm: 40 },
      { title: 'Principal', widthMm: 40, align: 'right' },
      { title: 'Pénalités', widthMm: 40, align: 'right' },
      { title: 'Indemnité', widthMm: 40, align: 'right' },
    ],
    [
      ...n.invoices.map((i) => ({
        cells: [i.invoiceNumber, eur(i.principal), eur(i.interest), eur(i.indemnity)],
      })),
      {
        bold: true,
        cells: ['Total', eur(n.totals.principal), eur(n.totals.interest), eur(n.totals.indemnity)],
      },
    ],
  );
  fields(p, [['Total réclamé au ' + short(m.date), eur(n.totals.total)]], 10.5);

  heading(p, '4. Requête en injonction de payer');
  const basis =
    m.debtor.kind === 'b2b'
      ? `Factures impayées n° ${n.invoices.map((i) => i.invoiceNumber).join(', ')}, émises pour des livraisons ou prestations entre professionnels ; pénalités de retard de plein droit (art. L441-10 C. com.) et indemnité forfaitaire pour frais de recouvrement de 40 € par facture (art. D441-5 C. com.).`
      : `Factures impayées n° ${n.invoices.map((i) => i.invoiceNumber).join(', ')} ; intérêts au taux légal à compter de la mise en demeure (art. 1231-6 et 1344-1 C. civ.).`;
  fields(p, [
    ['Juridiction', e.court ? e.court.label : `non déterminée : ${e.courtUnavailable}`],
    ...(e.court
      ? ([
          ['Formulaire', e.court.injonctionForm],
          ['Ressort', `département ${e.court.department} (domicile ou siège du débiteur)`],
          ['Règle', e.court.rule],
        ] as [string, string][])
      : []),
    [
      'Demandeur',
      `${m.creditor.name}, SIREN ${sirenOf(m.creditor.siren)}, ${address(m.creditor) || 'adresse non renseignée'}`,
    ],
    ['Défendeur', `${m.debtor.name}, SIREN ${sirenOf(m.debtor.siren)}, ${address(m.debtor)}`],
    ['Principal', eur(n.totals.principal)],
    ['Intérêts / pénalités échus', eur(n.totals.interest)],
    ['Indemnité forfaitaire', eur(n.totals.indemnity)],
    ['Montant total demandé', eur(n.totals.total)],
    ['Fondement de la créance', basis],
    [
      'Pièces',
      m.documents.length > 0 ? m.documents.map((d) => d.path).join(', ') : 'aucune pièce enregistrée',
    ],
  ]);
  for (const note of e.court?.notes ?? []) paragraph(p, note, { size: 8.5 });

  heading(p, '5. Procédure simplifiée de recouvrement des petites créances');
  if (e.smallClaims) {
    fields(p, [
      ['Montant (principal + intérêts)', eur(e.smallClaims.amount)],
      ['Plafond', eur(e.smallClaims.cap)],
      ['Éligible', e.smallClaims.eligible ? 'oui (commissaire de justice)' : 'non'],
      ['Textes', e.smallClaims.reference],
    ]);
    paragraph(p, e.smallClaims.note, { size: 8.5 });
  } else paragraph(p, `Non applicable : ${e.smallClaimsUnavailable}`, { size: 9 });

  heading(p, '6. Estimation coût / bénéfice');
  paragraph(
    p,
    `Probabilité de recouvrement retenue : ${e.recoveryProbability} (${e.settingsSource === 'organisation' ? "paramètres de l'organisation" : 'valeur par défaut, à ajuster'}). Recouvrement espéré = montant réclamé × probabilité ; les frais fixes sont dus quoi qu'il arrive, les frais de succès seulement avec la probabilité de succès.`,
    { size: 9 },
  );
  for (const r of e.routes) {
    paragraph(p, r.label, { bold: true, size: 9.5 });
    table(
      p,
      [
        { title: 'Frais', widthMm: 120 },
        { title: 'Espérance', widthMm: 50, align: 'right' },
      ],
      [
        ...r.result.fees.map((f) => ({ cells: [f.label, eur(f.expected)] })),
        { cells: ['Recouvrement espéré', eur(r.result.expectedRecovery)] },
        { cells: ['Frais espérés', eur(r.result.expectedFees)] },
        {
          bold: true,
          cells: [
            `Gain net espéré (${r.result.worthIt ? 'favorable' : 'défavorable'})`,
            eur(r.result.expectedNet),
          ],
        },
      ],
    );
  }

  heading(p, '7. Calcul des pénalités, ligne par ligne');
  for (const inv of n.invoices) {
    const s = inv.statement;
    paragraph(
      p,
      `Facture ${inv.invoiceNumber} – montant réclamé ${eur(s.principal)}, échue le ${short(s.dueDate)}, intérêts à compter du ${s.interestFrom ? short(s.interestFrom) : '(aucun)'} (${s.interestReference})`,
      { bold: true, size: 9 },
    );
    if (s.lines.length > 0) {
      table(
        p,
        [
          { title: 'Du', widthMm: 19 },
          { title: 'Au', widthMm: 19 },
          { title: 'Jours', widthMm: 12, align: 'right' },
          { title: 'Base', widthMm: 28, align: 'right' },
          { title: 'Taux', widthMm: 15, align: 'right' },
          { title: 'Origine du taux', widthMm: 54 },
          { title: 'Intérêts', widthMm: 23, align: 'right' },
        ],
        s.lines.map((l) => ({
          cells: [
            short(l.from),
            short(l.to),
            String(l.days),
            `${l.base.replace('.', ',')} €`,
            `${l.ratePct.replace('.', ',')} %`,
            l.rateBasis,
            eur(l.interest),
          ],
        })),
        { size: 7.5 },
      );
    }
    if (s.payments.length > 0) {
      table(
        p,
        [
          { title: 'Paiement du', widthMm: 28 },
          { title: 'Montant', widthMm: 30, align: 'right' },
          { title: 'Aux intérêts', widthMm: 30, align: 'right' },
          { title: 'Au principal', widthMm: 30, align: 'right' },
          { title: 'Aux frais', widthMm: 26, align: 'right' },
        ],
        s.payments.map((x) => ({
          cells: [short(x.date), eur(x.amount), eur(x.toInterest), eur(x.toPrincipal), eur(x.toCosts)],
        })),
        { size: 7.5 },
      );
    }
    fields(
      p,
      [
        ['Intérêts courus', eur(s.totals.interestAccrued)],
        ['Intérêts dus', eur(s.totals.interestOutstanding)],
        ['Principal dû', eur(s.totals.principalOutstanding)],
        ['Indemnité', eur(s.totals.indemnityOutstanding)],
        ['Total dû', eur(s.totals.totalDue)],
      ],
      8.5,
    );
  }
  const allLines = n.invoices.flatMap((i) => i.statement.lines);
  if (allLines.length > 0) paragraph(p, `Taux : ${rateSummary(allLines).join(' ; ')}.`, { size: 8.5 });
  const rounding = n.invoices[0]?.statement.rounding;
  if (rounding) paragraph(p, rounding, { size: 8 });
  for (const w of n.warnings) paragraph(p, `Avertissement : ${w}`, { size: 8.5 });

  heading(p, '8. Historique des relances et preuves');
  paragraph(
    p,
    m.chain.ok
      ? `Chaîne de preuves vérifiée : ${m.chain.count} entrée(s), chacune scellée par le SHA-256 de la précédente ; empreinte de tête ${m.chain.head}.`
      : `ATTENTION : la chaîne de preuves est rompue à l'entrée n° ${m.chain.seq} (${m.chain.problem} : ${m.chain.detail}).`,
    { size: 8.5 },
  );
  table(
    p,
    [
      { title: 'N°', widthMm: 9, align: 'right' },
      { title: 'Date (UTC)', widthMm: 27 },
      { title: 'Nature', widthMm: 22 },
      { title: 'Résumé', widthMm: 62 },
      { title: 'SHA-256 du contenu envoyé', widthMm: 50 },
    ],
    m.evidence.map((x) => ({
      cells: [
        String(x.seq),
        x.at.replace('T', ' ').slice(0, 16),
        `${kinds[x.kind] ?? x.kind}${x.channel ? ` (${x.channel})` : ''}`,
        x.summary,
        x.contentSha256 ?? '–',
      ],
    })),
    { size: 7 },
  );

  heading(p, '9. Pièces');
  if (m.documents.length === 0) paragraph(p, 'Aucune pièce enregistrée pour ce dossier.', { size: 9 });
  else {
    table(
      p,
      [
        { title: 'Fichier', widthMm: 62 },
        { title: 'Nature', widthMm: 24 },
        { title: 'Octets', widthMm: 18, align: 'right' },
        { title: 'SHA-256', widthMm: 66 },
      ],
      m.documents.map((d) => ({ cells: [d.path, d.kind, String(d.sizeBytes), d.sha256] })),
      { size: 7 },
    );
  }
  paragraph(
    p,
    "L'archive ZIP jointe contient ce dossier, les pièces ci-dessus, l'historique au format CSV et JSON, et un manifeste (manifest.json, SHA256SUMS) donnant le SHA-256 de chaque fichier.",
    { size: 8.5 },
  );

  return finish((page, count) =>
    [m.creditor.name, `Dossier ${m.debtor.externalRef} au ${short(m.date)}`, `Page ${page}/${count}`].join(
      ' · ',
    ),
  );
}
