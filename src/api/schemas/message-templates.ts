import { z } from 'zod';

const part = z.string().max(100_000).nullable().optional();

/** An edit of a template: each part is Handlebars source; null or absent = the default. */
export const templateOverrideSchema = z
  .object({ subject: part, html: part, text: part, sms: part, letter: part })
  .meta({ id: 'MessageTemplateEdit' });
