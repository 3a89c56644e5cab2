import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { settingsUpdateSchema, settingsViewSchema } from '../../domain/settings/schema.js';
import { getSettings } from '../../services/settings/get-settings.js';
import { updateSettings } from '../../services/settings/update-settings.js';
import type { ApiDeps } from '../context.js';
import { adminRoles, readRoles, requireRole } from '../plugins/auth.js';
import { problemResponses } from '../schemas/common.js';

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
};
