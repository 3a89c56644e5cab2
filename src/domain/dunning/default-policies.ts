import type { DunningPolicy } from './policy.js';
import type { PolicyRule } from './selection.js';

/**
 * The policies every organisation starts with. Their ids are fixed UUIDs (the primary key
 * is (org_id, id), so each organisation gets its own row with the same id); a user's edit
 * is stored as a new version with a new id.
 */
export const FR_B2B_STANDARD: DunningPolicy = {
  id: '6f1d2c1e-0b1a-4c55-9b1e-000000000b2b',
  key: 'FR-B2B-standard',
  name: 'Relance B2B standard (France)',
  version: 1,
  kind: 'b2b',
  automaticSends: true,
  replayMissedSteps: false,
  steps: [
    {
      key: 'courtesy',
      label: 'courtesy notice',
      offsetDays: -5,
      latestOffsetDays: 0,
      channels: ['email'],
      templateKey: 'courtesy',
      tone: 'courteous',
    },
    {
      key: 'first_reminder',
      label: 'first reminder',
      offsetDays: 7,
      channels: ['email'],
      templateKey: 'first_reminder',
      tone: 'courteous',
    },
    {
      // Names the late-payment penalties and the 40 € fixed indemnity of
      // Code de commerce art. L441-10 II and D441-5, and a possible suspension of service.
      key: 'second_reminder',
      label: 'second reminder',
      offsetDays: 15,
      channels: ['email', 'sms'],
      templateKey: 'second_reminder_b2b',
      tone: 'firm',
      sideEffects: { notifyOwner: true },
    },
    {
      // Mise en demeure (Code civil art. 1344): makes the debt formally due and, under
      // art. 1231-6, starts interest at the legal rate where no contractual rate applies.
      key: 'formal_notice',
      label: 'formal notice (mise en demeure)',
      offsetDays: 30,
      channels: ['registered_letter', 'email'],
      templateKey: 'formal_notice_b2b',
      tone: 'formal',
      deadlineDays: 15,
      sideEffects: { creditHold: true, notifyOwner: true },
    },
    {
      key: 'escalation',
      label: 'escalation decision',
      offsetDays: 45,
      channels: [],
      templateKey: 'escalation',
      tone: 'legal',
      decisionTask: {
        title: 'Choose: legal action, collection agency or write-off',
        options: ['legal_action', 'collection_agency', 'write_off'],
      },
    },
  ],
};

/**
 * Consumers: no 40 € indemnity (L441-10 applies between professionals only) and no
 * collection fees charged to the debtor (Code des procédures civiles d'exécution art.
 * L111-8). SMS only with consent is enforced by the planner for every policy.
 */
export const FR_B2C_STANDARD: DunningPolicy = {
  id: '6f1d2c1e-0b1a-4c55-9b1e-000000000b2c',
  key: 'FR-B2C-standard',
  name: 'Relance particuliers (France)',
  version: 1,
  kind: 'b2c',
  automaticSends: true,
  replayMissedSteps: false,
  steps: [
    {
      key: 'courtesy',
      label: 'courtesy notice',
      offsetDays: -5,
      latestOffsetDays: 0,
      channels: ['email'],
      templateKey: 'courtesy',
      tone: 'courteous',
    },
    {
      key: 'first_reminder',
      label: 'first reminder',
      offsetDays: 7,
      channels: ['email', 'sms'],
      templateKey: 'first_reminder',
      tone: 'courteous',
    },
    {
      key: 'second_reminder',
      label: 'second reminder',
      offsetDays: 15,
      channels: ['email', 'sms'],
      templateKey: 'second_reminder_b2c',
      tone: 'firm',
    },
    {
      // Code civil art. 1231-6: legal interest runs from the formal notice.
      key: 'formal_notice',
      label: 'formal notice (mise en demeure)',
      offsetDays: 30,
      channels: ['registered_letter'],
      templateKey: 'formal_notice_b2c',
      tone: 'formal',
      deadlineDays: 15,
    },
    {
      key: 'escalation',
      label: 'escalation decision',
      offsetDays: 45,
      channels: [],
      templateKey: 'escalation',
      tone: 'legal',
      decisionTask: {
        title: 'Choose: injonction de payer, collection agency, payment plan or write-off',
        options: ['legal_action', 'collection_agency', 'payment_plan', 'write_off'],
      },
    },
  ],
};

/** Key accounts: a human calls or reviews each step; nothing is sent automatically. */
export const FR_CONCILIATORY: DunningPolicy = {
  id: '6f1d2c1e-0b1a-4c55-9b1e-0000000000c1',
  key: 'FR-conciliatory',
  name: 'Relance conciliante (comptes stratégiques)',
  version: 1,
  kind: 'any',
  automaticSends: false,
  replayMissedSteps: false,
  steps: [
    {
      key: 'first_reminder',
      label: 'courtesy call',
      offsetDays: 7,
      channels: ['call_task'],
      templateKey: 'first_reminder',
      tone: 'courteous',
      sideEffects: { notifyOwner: true },
    },
    {
      key: 'second_reminder',
      label: 'account manager review',
      offsetDays: 21,
      channels: ['email'],
      templateKey: 'first_reminder',
      tone: 'courteous',
      sideEffects: { notifyOwner: true },
    },
    {
      key: 'escalation',
      label: 'escalation decision',
      offsetDays: 45,
      channels: [],
      templateKey: 'escalation',
      tone: 'firm',
      decisionTask: {
        title: 'Strategic account overdue: agree a plan, escalate or keep waiting',
        options: ['payment_plan', 'collection_agency', 'legal_action', 'write_off'],
      },
    },
  ],
};

export const DEFAULT_POLICIES: readonly DunningPolicy[] = [FR_B2B_STANDARD, FR_B2C_STANDARD, FR_CONCILIATORY];

/** Strategic customers first (whatever their kind), then consumers, then everyone else. */
export const DEFAULT_POLICY_RULES: readonly PolicyRule[] = [
  { policyKey: FR_CONCILIATORY.key, label: 'strategic accounts', when: { segments: ['strategic'] } },
  { policyKey: FR_B2C_STANDARD.key, label: 'consumers', when: { customerKinds: ['b2c'] } },
  { policyKey: FR_B2B_STANDARD.key, label: 'businesses', when: {} },
];
