import type { IsoDate } from '../calendar/index.js';
import type {
  CustomerKind,
  DecisionTask,
  DunningChannel,
  DunningPolicy,
  RiskBand,
  StepSideEffects,
  TaskKind,
  Tone,
} from './policy.js';

/** Input and output shapes of the planner. Plain data: the execution layer loads and stores them. */

export interface PlannerContact {
  id: string;
  name: string | null;
  email: string | null;
  /** false once a hard bounce or a user marked the address invalid (contacts.email_invalid). */
  emailValid: boolean;
  consentEmail: boolean;
  phone: string | null;
  consentSms: boolean;
  isPrimary: boolean;
}

export interface PlannerCustomer {
  id: string;
  name: string;
  kind: CustomerKind;
  segment: string;
  language: 'fr' | 'en';
  /** IANA zone of the debtor; null = the organisation's zone. */
  timeZone: string | null;
  riskBand: RiskBand | null;
  hasPostalAddress: boolean;
  contacts: PlannerContact[];
}

export interface OpenItemInstalment {
  seq: number;
  dueDate: IsoDate;
  amountMinor: number;
  /** When absent, derived from the invoice balance, payments settling the earliest instalments first. */
  balanceMinor?: number;
}

export interface OpenItem {
  invoiceId: string;
  invoiceNumber: string;
  issueDate?: IsoDate;
  dueDate: IsoDate;
  balanceMinor: number;
  /** Invoice total, for the statement's "amount" column; the balance stands in when absent. */
  grossMinor?: number;
  currency: string;
  instalments?: OpenItemInstalment[];
  disputed: boolean;
  pausedUntil?: IsoDate | null;
  /** Covered by a payment plan whose instalments are paid on time. */
  inPaymentPlanInGoodStanding?: boolean;
}

export type PromiseStatus = 'active' | 'kept' | 'broken' | 'cancelled';

export interface PromiseToPay {
  id: string;
  /** Empty = every open item of the customer. */
  invoiceIds: string[];
  promisedDate: IsoDate;
  graceDays: number;
  status: PromiseStatus;
}

export interface DunningPause {
  id: string;
  /** null = the whole customer. */
  invoiceId: string | null;
  /** Last paused day, inclusive. */
  until: IsoDate;
  reason: string;
}

/** A step already carried out for an item (dunning_action_items). */
export interface StepDone {
  invoiceId: string;
  instalmentSeq: number | null;
  stepKey: string;
  at: Date;
  /** Idempotency key of the action that did it: lets the other channels of that action re-check. */
  actionKey?: string;
  /** When the step actually went out (first channel sent); null while it has not (awaiting
   * approval, waiting to be printed, failed). Absent: taken as sent at `at`. */
  sentAt?: Date | null;
  /** When it reached the debtor (acknowledgement of receipt), when recorded. */
  deliveredAt?: Date | null;
  /** Sent by post (letter or registered letter). */
  postal?: boolean;
}

/** One delivered action that reached the debtor (a reminder on two channels is one contact). */
export interface RecentContact {
  at: Date;
  automatic: boolean;
  actionKey?: string;
}

export interface DunningSettings {
  /** Automatic contacts allowed per debtor per rolling 7 days. */
  maxContactsPer7Days: number;
  /** Minutes after local midnight: [start, end). */
  sendWindowStartMinute: number;
  sendWindowEndMinute: number;
  noSendOnSundays: boolean;
  noSendOnPublicHolidays: boolean;
  holidayCountry: string;
  defaultTimeZone: string;
  smsRequiresConsent: boolean;
  /** true: one reminder per customer per run listing its items; false: one per item. */
  statementGrouping: boolean;
  /** null follows each policy's replayMissedSteps (true: one day between catch-up steps). */
  catchUpReplay: boolean | null;
  /** Days between two steps while a backlog item catches up; null = the policy's own spacing. */
  onboardingSpacingDays: number | null;
  /** Days a letter takes to arrive when no receipt is recorded (a notice's deadline counts from delivery). */
  postalDelayDays: number;
  /** false when the organisation has no SMS provider: SMS steps fall back at planning, with a
   * reason, instead of failing at delivery. Absent = available. */
  smsAvailable?: boolean;
}

export const DEFAULT_DUNNING_SETTINGS: DunningSettings = {
  maxContactsPer7Days: 2,
  sendWindowStartMinute: 8 * 60,
  sendWindowEndMinute: 20 * 60,
  noSendOnSundays: true,
  noSendOnPublicHolidays: true,
  holidayCountry: 'FR',
  defaultTimeZone: 'Europe/Paris',
  smsRequiresConsent: true,
  statementGrouping: true,
  catchUpReplay: null,
  onboardingSpacingDays: null,
  postalDelayDays: 3,
};

export interface PlannerInput {
  customer: PlannerCustomer;
  policy: DunningPolicy;
  items: OpenItem[];
  history: StepDone[];
  recentContacts: RecentContact[];
  pauses: DunningPause[];
  promises: PromiseToPay[];
  settings: DunningSettings;
  now: Date;
}

/** An invoice, or one instalment of it: the unit a step fires for. */
export interface ActionItem {
  invoiceId: string;
  invoiceNumber: string;
  instalmentSeq: number | null;
  issueDate: IsoDate | null;
  dueDate: IsoDate;
  /** The invoice total, or the instalment's amount. */
  amountMinor: number;
  balanceMinor: number;
  currency: string;
  /** Negative before the due date. */
  daysLate: number;
  /** The step this item reaches with this action (recorded in dunning_action_items). */
  stepKey: string;
}

export interface PlannedChannel {
  channel: DunningChannel;
  contactId: string | null;
  /** Email address or phone number, when the channel needs one. */
  address: string | null;
}

export type ActionKind = 'send' | 'task';

export interface PlannedAction {
  customerId: string;
  policyId: string;
  policyKey: string;
  policyVersion: number;
  stepKey: string;
  stepLabel: string;
  templateKey: string;
  tone: Tone;
  kind: ActionKind;
  taskKind: TaskKind | null;
  channels: PlannedChannel[];
  /** Why a channel was dropped or replaced ("no SMS consent: SMS dropped, email carries the reminder"). */
  channelNotes: string[];
  /** Items this action moves to a step; their ids make the idempotency key. */
  items: ActionItem[];
  /** Other overdue items listed on the statement for completeness (no step change). */
  statementItems: ActionItem[];
  totals: { currency: string; balanceMinor: number }[];
  reason: string;
  idempotencyKey: string;
  /** Local business date of the run. */
  plannedFor: IsoDate;
  sideEffects: StepSideEffects;
  decisionTask: DecisionTask | null;
  deadlineDays: number | null;
  /** Backlog catch-up ("reprise d'un arriéré"): some item is reached later than its age calls for. */
  catchUp: boolean;
  /** The step that would follow this one and its earliest date, if this action is sent today. */
  nextStep: { key: string; label: string; date: IsoDate } | null;
}

export type PostponeReason = 'quiet_hours' | 'sunday' | 'public_holiday' | 'pressure_limit';

export interface PostponedAction {
  action: PlannedAction;
  reason: PostponeReason;
  detail: string;
  nextTryDate: IsoDate;
  nextTryAt: Date;
}

export interface SkippedStep {
  invoiceId: string;
  instalmentSeq: number | null;
  stepKey: string;
  reason: string;
}

export type ExclusionReason = 'paid' | 'disputed' | 'paused' | 'promise_to_pay' | 'payment_plan';

export interface ExcludedItem {
  invoiceId: string;
  invoiceNumber: string;
  instalmentSeq: number | null;
  reason: ExclusionReason;
  detail: string;
  /** First day the item can be reminded again, when known. */
  resumesOn: IsoDate | null;
}

export interface CustomerPlan {
  customerId: string;
  /** The debtor's local date and time at `now`. */
  localDate: IsoDate;
  localTime: string;
  timeZone: string;
  actions: PlannedAction[];
  postponed: PostponedAction[];
  skipped: SkippedStep[];
  excluded: ExcludedItem[];
  /** When the sweep must look at this customer again, assuming today's actions are carried out. */
  nextActionDate: IsoDate | null;
}
