import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getLogoMeta, type LogoMeta } from '../../db/queries/logos.js';
import { LOGO_MAX_BYTES } from '../../domain/branding/logo-image.js';
import { settingsUpdateSchema, settingsViewSchema } from '../../domain/settings/schema.js';
import { AppError, notFound } from '../../errors.js';
import { loadLogo } from '../../services/branding/load-logo.js';
import { removeLogo } from '../../services/branding/remove-logo.js';
import { uploadLogo } from '../../services/branding/upload-logo.js';
import { getSettings } from '../../services/settings/get-settings.js';
import { updateSettings } from '../../services/settings/update-settings.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readUpload } from '../multipart.js';
import { adminRoles, readRoles, requireRole } from '../plugins/auth.js';
import { iso, problemResponse, problemResponses } from '../schemas/common.js';

const logoSchema = z
  .object({
    mediaType: z.enum(['image/png', 'image/jpeg']),
    width: z.number().int(),
    height: z.number().int(),
    sizeBytes: z.number().int(),
    sha256: z.string().length(64),
    uploadedAt: z.string(),
  })
  .meta({ id: 'Logo' });

const toLogo = (l: LogoMeta): z.infer<typeof logoSchema> => ({
  mediaType: l.media_type,
  width: l.width,
  height: l.height,
  sizeBytes: l.size_bytes,
  sha256: l.sha256,
  uploadedAt: iso(l.uploaded_at),
});

export const settingsRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/settings',
    {
      schema: {
        tags: ['settings'],
        summary: "The organisation's settings, defaults included (the SMTP password is never returned)",
        response: { 200: settingsViewSchema, ...problemResponses },
      },
    },
    async (request) => {
      const auth = requireRole(request, readRoles);
      return getSettings(deps.handle.db, auth.orgId, deps.now());
    },
  );

  app.put(
    '/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change any subset of the settings (admin)',
        description:
          'Each section and each field is optional; null clears a field. channels.smtpUrl is write-only (null removes the SMTP server). A penalty rate below the legal floor is saved with a warning: the floor applies.',
        body: settingsUpdateSchema,
        response: { 200: settingsViewSchema, ...problemResponses },
      },
      // The use case validates (with stable codes per field and without echoing values,
      // since smtpUrl holds a password); the schema above documents the body.
      validatorCompiler: () => (data) => ({ value: data }),
    },
    async (request) => {
      const auth = requireRole(request, adminRoles);
      return updateSettings(deps.handle.db, auth.orgId, request.body, deps.now());
    },
  );

  app.get(
    '/settings/logo',
    {
      schema: {
        tags: ['settings'],
        summary: "The organisation's logo as stored (PNG or JPEG; the ETag is its SHA-256)",
      },
    },
    async (request, reply) => {
      const auth = requireRole(request, readRoles);
      const logo = await loadLogo(deps.handle.db, auth.orgId);
      if (!logo) throw notFound('logo', auth.orgId);
      return reply
        .type(logo.media_type)
        .header('etag', `"${logo.sha256}"`)
        .header('cache-control', 'private, no-cache')
        .header('x-content-type-options', 'nosniff')
        .send(logo.content);
    },
  );

  app.get(
    '/settings/logo/meta',
    {
      schema: {
        tags: ['settings'],
        summary: "The logo's type, dimensions, size and SHA-256 (404 when there is none)",
        response: { 200: logoSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const meta = await getLogoMeta(trx, auth.orgId);
        if (!meta) throw notFound('logo', auth.orgId);
        return toLogo(meta);
      }),
  );

  app.put(
    '/settings/logo',
    {
      schema: {
        tags: ['settings'],
        summary: `Upload the organisation's logo (admin; multipart/form-data, one file; PNG or JPEG, ${LOGO_MAX_BYTES / 1024} kB max)`,
        description:
          'The type is read from the bytes and the image is decoded: an SVG, a GIF or a renamed file is refused (VALIDATION), whatever its name. Replaces the previous logo.',
        consumes: ['multipart/form-data'],
        response: { 200: logoSchema, 413: problemResponse('File larger than 512 kB'), ...problemResponses },
      },
    },
    async (request) => {
      const auth = requireRole(request, adminRoles);
      const upload = await readUpload(request, LOGO_MAX_BYTES);
      if (!upload.file) {
        throw new AppError('VALIDATION', 'Send the logo as a file part', [
          { field: 'file', reason: 'missing' },
        ]);
      }
      return toLogo(await uploadLogo(deps.handle.db, auth.orgId, upload.file.content));
    },
  );

  app.delete(
    '/settings/logo',
    {
      schema: {
        tags: ['settings'],
        summary: "Remove the organisation's logo (admin); documents printed from now on have none",
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const auth = requireRole(request, adminRoles);
      await removeLogo(deps.handle.db, auth.orgId);
      return reply.status(204).send(null);
    },
  );
};
