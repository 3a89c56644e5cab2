import type { Lang } from '../i18n';

/**
 * The stock step labels of the default policies, in both languages. A policy stores one
 * label per step (the defaults' are English, an organisation's edits may be French), so the
 * page shows a stock label in the UI language and a label someone typed as it was typed.
 */
const STOCK: readonly { fr: string; en: string }[] = [
  { fr: 'Avis de courtoisie', en: 'Courtesy notice' },
  { fr: 'Première relance', en: 'First reminder' },
  { fr: 'Deuxième relance', en: 'Second reminder' },
  { fr: 'Mise en demeure', en: 'Formal notice (mise en demeure)' },
  { fr: 'Décision d’escalade', en: 'Escalation decision' },
  { fr: 'Appel de courtoisie', en: 'Courtesy call' },
  { fr: 'Revue par le responsable du compte', en: 'Account manager review' },
];

const byText = new Map<string, { fr: string; en: string }>();
for (const s of STOCK) {
  byText.set(s.fr.toLocaleLowerCase('fr'), s);
  byText.set(s.en.toLocaleLowerCase('fr'), s);
}

export function stepLabel(label: string, lang: Lang): string {
  return byText.get(label.trim().toLocaleLowerCase('fr'))?.[lang] ?? label;
}
