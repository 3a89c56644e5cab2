import type { Lang } from '../i18n';

const fr = {
  title: 'Prochaine relance',
  date: 'Relance du',
  summary: 'clients examinés, envois prévus, reportés',
  approvalOn: 'Validation requise avant chaque envoi automatique.',
  approvalOff: 'Les envois automatiques partent sans validation.',
  turnOn: 'Exiger une validation',
  turnOff: 'Ne plus exiger de validation',
  awaiting: 'En attente de validation',
  noneAwaiting: 'Aucun envoi en attente.',
  approve: 'Valider',
  hold: 'Suspendre',
  held: 'Suspendu',
  approved: 'Validé',
  customer: 'Client',
  policy: 'Politique',
  what: 'Action',
  channels: 'Canaux',
  why: 'Pourquoi',
  decision: 'Décision',
  planned: 'Ce que la relance enverra',
  nothing: 'Rien à envoyer ce jour-là.',
  postponed: 'reporté au',
  task: 'tâche',
};

type Dict = typeof fr;

const en: Dict = {
  title: 'Next run',
  date: 'Run of',
  summary: 'customers scanned, sends planned, postponed',
  approvalOn: 'Every automatic send needs an approval.',
  approvalOff: 'Automatic sends go out without approval.',
  turnOn: 'Require approval',
  turnOff: 'Stop requiring approval',
  awaiting: 'Awaiting approval',
  noneAwaiting: 'Nothing awaiting approval.',
  approve: 'Approve',
  hold: 'Hold',
  held: 'Held',
  approved: 'Approved',
  customer: 'Customer',
  policy: 'Policy',
  what: 'Action',
  channels: 'Channels',
  why: 'Why',
  decision: 'Decision',
  planned: 'What the run will send',
  nothing: 'Nothing to send that day.',
  postponed: 'postponed to',
  task: 'task',
};

export type RunPreviewMessage = keyof Dict;
export const runPreviewText = (lang: Lang) => (k: RunPreviewMessage): string => (lang === 'en' ? en : fr)[k];
