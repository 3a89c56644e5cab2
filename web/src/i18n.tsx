import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';

export type Lang = 'fr' | 'en';

const fr = {
  appName: 'Relance',
  skipToContent: 'Aller au contenu',
  signIn: 'Se connecter',
  signOut: 'Se déconnecter',
  email: 'Adresse e-mail',
  password: 'Mot de passe',
  signInTitle: 'Connexion à Relance',
  wrongCredentials: 'E-mail ou mot de passe incorrect.',
  tooManyAttempts: 'Trop de tentatives. Réessayez plus tard.',
  dashboard: 'Tableau de bord',
  invoices: 'Factures',
  receivables: 'Encours clients',
  overdue: 'Échu',
  overdueShare: 'dont échu',
  dso: 'DSO',
  dsoHelp:
    "Délai moyen de paiement, méthode de l'épuisement (count-back) : on retranche de l'encours le chiffre d'affaires facturé mois par mois, en remontant depuis aujourd'hui, et on compte les jours consommés.",
  dsoFloor: 'au moins',
  days: 'jours',
  collectedThisMonth: 'Encaissé ce mois-ci',
  collectedLastMonth: 'le mois dernier',
  aging: 'Balance âgée',
  notDue: 'Non échu',
  d1_30: '1–30 j',
  d31_60: '31–60 j',
  d61_90: '61–90 j',
  d90plus: '> 90 j',
  topOverdue: 'Principaux clients en retard',
  customer: 'Client',
  amountOverdue: 'Montant échu',
  maxDaysLate: 'Retard max.',
  nothing: 'Rien à afficher.',
  loading: 'Chargement…',
  error: 'Une erreur est survenue.',
  invoiceNumber: 'N° de facture',
  issueDate: 'Émise le',
  dueDate: 'Échéance',
  balanceDue: 'Reste dû',
  daysOverdue: 'Jours de retard',
  status: 'Statut',
  allStatuses: 'Tous les statuts',
  overdueOnly: 'En retard uniquement',
  nextPage: 'Page suivante',
  firstPage: 'Première page',
  language: 'Langue',
  currency: 'Devise',
  st_open: 'Ouverte',
  st_partially_paid: 'Partiellement payée',
  st_paid: 'Payée',
  st_credited: 'Avoir',
  st_written_off: 'Passée en perte',
  st_disputed: 'Litige',
};

type Dict = typeof fr;
export type MessageKey = keyof Dict;

const en: Dict = {
  appName: 'Relance',
  skipToContent: 'Skip to content',
  signIn: 'Sign in',
  signOut: 'Sign out',
  email: 'Email address',
  password: 'Password',
  signInTitle: 'Sign in to Relance',
  wrongCredentials: 'Wrong email or password.',
  tooManyAttempts: 'Too many attempts. Try again later.',
  dashboard: 'Dashboard',
  invoices: 'Invoices',
  receivables: 'Receivables',
  overdue: 'Overdue',
  overdueShare: 'overdue',
  dso: 'DSO',
  dsoHelp:
    'Days sales outstanding, count-back method: invoiced sales are taken off the receivables month by month, going back from today, and the days used up are counted.',
  dsoFloor: 'at least',
  days: 'days',
  collectedThisMonth: 'Collected this month',
  collectedLastMonth: 'last month',
  aging: 'Aging',
  notDue: 'Not due',
  d1_30: '1–30 d',
  d31_60: '31–60 d',
  d61_90: '61–90 d',
  d90plus: '> 90 d',
  topOverdue: 'Top overdue customers',
  customer: 'Customer',
  amountOverdue: 'Overdue amount',
  maxDaysLate: 'Max. days late',
  nothing: 'Nothing to show.',
  loading: 'Loading…',
  error: 'Something went wrong.',
  invoiceNumber: 'Invoice no.',
  issueDate: 'Issued',
  dueDate: 'Due',
  balanceDue: 'Balance due',
  daysOverdue: 'Days late',
  status: 'Status',
  allStatuses: 'All statuses',
  overdueOnly: 'Overdue only',
  nextPage: 'Next page',
  firstPage: 'First page',
  language: 'Language',
  currency: 'Currency',
  st_open: 'Open',
  st_partially_paid: 'Partially paid',
  st_paid: 'Paid',
  st_credited: 'Credited',
  st_written_off: 'Written off',
  st_disputed: 'Disputed',
};

const dictionaries: Record<Lang, Dict> = { fr, en };

interface I18n {
  lang: Lang;
  locale: string;
  t: (key: MessageKey) => string;
  setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('relance.lang') === 'en' ? 'en' : 'fr'));
  useEffect(() => {
    localStorage.setItem('relance.lang', lang);
    document.documentElement.lang = lang;
  }, [lang]);
  const value: I18n = {
    lang,
    locale: lang === 'fr' ? 'fr-FR' : 'en-GB',
    t: (key) => dictionaries[lang][key],
    setLang,
  };
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
