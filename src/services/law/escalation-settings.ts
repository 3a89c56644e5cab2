import { z } from 'zod';
import type { CourtKind, EscalationFee } from '../../domain/law/escalation.js';

/**
 * organisations.settings.escalation: what escalating a claim costs this organisation and
 * how likely it is to recover. Every field is optional; the defaults below are orders of
 * magnitude for France in 2025, not quotes (docs/law.md, "Cost/benefit defaults").
 */
const feeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), label: z.string().min(1), amountMinor: z.number().int().min(0) }),
  z.object({
    kind: z.literal('flat_on_success'),
    label: z.string().min(1),
    amountMinor: z.number().int().min(0),
  }),
  z.object({
    kind: z.literal('percent_on_success'),
    label: z.string().min(1),
    percent: z.union([z.string(), z.number()]).transform(String),
  }),
]);
export type FeeSetting = z.infer<typeof feeSchema>;

export const escalationSettingsSchema = z
  .object({
    /** Probability (0–1) that escalation recovers the claim. */
    recoveryProbability: z.union([z.string(), z.number()]).transform(String),
    /** Fees of the injonction de payer route; replace the defaults when given. */
    injonctionFees: z.array(feeSchema),
    /** Fees of a collection agency; replace the defaults when given. */
    agencyFees: z.array(feeSchema),
  })
  .partial();

export const DEFAULT_RECOVERY_PROBABILITY = '0.6';

/** Greffe fee of a requête en injonction de payer at a tribunal de commerce (Infogreffe tariff,
 * 33,47 € TTC); the tribunal judiciaire charges none. */
export const COMMERCIAL_COURT_IP_FEE_MINOR = 3_347;

export function defaultInjonctionFees(court: CourtKind | null): FeeSetting[] {
  return [
    ...(court === 'tribunal_judiciaire'
      ? []
      : [
          {
            kind: 'fixed' as const,
            label: 'Frais de greffe : requête en injonction de payer (tribunal de commerce)',
            amountMinor: COMMERCIAL_COURT_IP_FEE_MINOR,
          },
        ]),
    {
      kind: 'fixed',
      label: "Commissaire de justice : signification de l'ordonnance (environ)",
      amountMinor: 7_500,
    },
    {
      kind: 'flat_on_success',
      label: 'Commissaire de justice : exécution forcée, saisie (environ)',
      amountMinor: 15_000,
    },
  ];
}

export const DEFAULT_AGENCY_FEES: FeeSetting[] = [
  {
    kind: 'percent_on_success',
    label: 'Agence de recouvrement : commission sur les sommes encaissées',
    percent: '15',
  },
];

export interface EscalationSettings {
  recoveryProbability: string;
  injonctionFees: FeeSetting[] | null;
  agencyFees: FeeSetting[];
  /** Where each figure came from, shown next to the estimate. */
  source: 'defaults' | 'organisation';
}

/** Read the settings leniently: a malformed block falls back to the defaults, and says so. */
export function escalationSettingsOf(settings: unknown): EscalationSettings {
  const raw = (settings as { escalation?: unknown } | null)?.escalation;
  const parsed = raw === undefined ? null : escalationSettingsSchema.safeParse(raw);
  const s = parsed?.success ? parsed.data : {};
  return {
    recoveryProbability: s.recoveryProbability ?? DEFAULT_RECOVERY_PROBABILITY,
    injonctionFees: s.injonctionFees ?? null,
    agencyFees: s.agencyFees ?? DEFAULT_AGENCY_FEES,
    source: parsed?.success ? 'organisation' : 'defaults',
  };
}

export function toEscalationFees(fees: FeeSetting[], currency: string): EscalationFee[] {
  return fees.map((f) =>
    f.kind === 'percent_on_success'
      ? { kind: f.kind, label: f.label, percent: f.percent }
      : { kind: f.kind, label: f.label, amount: { amount: f.amountMinor, currency } },
  );
}
