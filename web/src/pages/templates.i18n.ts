import type { Lang } from '../i18n';

const fr = {
  editTemplate: 'Modifier le modèle',
  closeEditor: 'Fermer',
  editorTitle: 'Modèle',
  part_subject: 'Objet',
  part_html: 'E-mail (HTML)',
  part_text: 'E-mail (texte)',
  part_sms: 'SMS',
  part_letter: 'Courrier',
  usesDefault: 'texte par défaut',
  edited: 'modifié',
  version: 'version',
  save: 'Enregistrer le modèle',
  reset: 'Revenir au modèle par défaut',
  saved: 'Modèle enregistré',
  line: 'ligne',
  livePreview: 'Aperçu en direct',
  smsSegments: 'segments SMS',
  readOnly: 'Lecture seule : seul un administrateur peut modifier un modèle.',
  variables: 'Variables utilisées',
};
export type TemplateMessage = keyof typeof fr;

const en: Record<TemplateMessage, string> = {
  editTemplate: 'Edit the template',
  closeEditor: 'Close',
  editorTitle: 'Template',
  part_subject: 'Subject',
  part_html: 'Email (HTML)',
  part_text: 'Email (text)',
  part_sms: 'SMS',
  part_letter: 'Letter',
  usesDefault: 'default text',
  edited: 'edited',
  version: 'version',
  save: 'Save the template',
  reset: 'Back to the default template',
  saved: 'Template saved',
  line: 'line',
  livePreview: 'Live preview',
  smsSegments: 'SMS segments',
  readOnly: 'Read only: only an administrator can edit a template.',
  variables: 'Variables used',
};

export function templatesText(lang: Lang): (m: TemplateMessage) => string {
  const table = lang === 'en' ? en : fr;
  return (m) => table[m];
}
