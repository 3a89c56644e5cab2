import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policyStepSchema } from '../../domain/dunning/index.js';
import { dunningSettingsSchema } from '../../services/dunning/dunning-settings.js';
import { getPolicy, listPolicies, savePolicyVersion } from '../../services/dunning/edit-policy.js';
import { explainCustomerPolicy } from '../../services/dunning/explain-customer-policy.js';
import {
  listPolicyRules,
  policyRuleSchema,
  replaceRules,
  setCustomerPolicy,
} from '../../services/dunning/policy-assignment.js';
import { previewPolicyStep } from '../../services/dunning/preview-policy-step.js';
import { updateDunningSettings } from '../../services/dunning/update-dunning-settings.js';
import { type ApiDeps, inOrg } from '../context.js';
import { type AuthContext, adminRoles, readRoles } from '../plugins/auth.js';
import { idParam, problemResponse, problemResponses } from '../schemas/common.js';
import { templateOverrideSchema } from '../schemas/message-templates.js';

const withConflict = {
  ...problemResponses,
  409: problemResponse('Edited meanwhile: reload the latest version'),
};

const policyEditSchema = z
  .object({
    name: z.string().min(1).max(200),
    kind: z.enum(['b2b', 'b2c', 'any']),
    automaticSends: z.boolean(),
    replayMissedSteps: z.boolean(),
    steps: z.array(policyStepSchema).min(1).max(20),
  })
  .meta({ id: 'DunningPolicyEdit' });

const policySchema = policyEditSchema
  .extend({
    id: z.uuid(),
    key: z.string(),
    version: z.number().int(),
    isDefault: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'DunningPolicy' });

const versionSummary = z.object({
  id: z.uuid(),
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

const itemSchema = z.object({
  invoiceId: z.uuid(),
  invoiceNumber: z.string(),
  instalmentSeq: z.number().int().nullable(),
  dueDate: z.string(),
  daysLate: z.number().int(),
  balanceMinor: z.number().int(),
  currency: z.string(),
});

const stepPreviewSchema = z
  .object({
    policyId: z.uuid(),
    policyKey: z.string(),
    policyVersion: z.number().int(),
    draft: z.boolean(),
    stepKey: z.string(),
    stepLabel: z.string(),
    offsetDays: z.number().int(),
    templateKey: z.string(),
    tone: z.string(),
    kind: z.enum(['send', 'task']),
    locale: z.enum(['fr', 'en']),
    channels: z.array(z.object({ channel: z.string(), address: z.string().nullable() })),
    notes: z.array(z.string()),
    items: z.array(itemSchema),
    statementItems: z.array(itemSchema),
    message: z
      .object({
        subject: z.string(),
        html: z.string(),
        text: z.string(),
        sms: z.object({
          text: z.string(),
          encoding: z.string(),
          segments: z.number().int(),
          truncated: z.boolean(),
        }),
        letter: z.string(),
        sha256: z.string(),
      })
      .nullable(),
  })
  .meta({ id: 'DunningStepPreview' });

const settingsOut = z
  .object({
    requireApproval: z.boolean(),
    runAtMinute: z.number().int(),
    maxContactsPer7Days: z.number().int(),
    sendWindowStartMinute: z.number().int(),
    sendWindowEndMinute: z.number().int(),
    statementGrouping: z.boolean(),
    smsRequiresConsent: z.boolean(),
  })
  .meta({ id: 'DunningSettings' });

/** Who made a change, as recorded on policy versions and approvals. */
export function actorOf(auth: AuthContext): string {
  if (auth.userId) return `user:${auth.userId}`;
  return auth.keyId ? `api-key:${auth.keyId}` : 'api';
}

export const dunningPolicyRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/dunning/policies',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Dunning policies: the latest version of each, with the list of versions',
        response: {
          200: z.object({
            items: z.array(
              z.object({ key: z.string(), latest: policySchema, versions: z.array(versionSummary) }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      items: await inOrg(deps, request, readRoles, (trx, auth) => listPolicies(trx, auth.orgId)),
    }),
  );

  app.get(
    '/dunning/policies/:id',
    {
      schema: {
        tags: ['dunning'],
        summary: 'One version of a policy (any version stays readable)',
        params: idParam,
        response: { 200: policySchema.extend({ latestVersion: z.number().int() }), ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, (trx, auth) => getPolicy(trx, auth.orgId, request.params.id)),
  );

  app.put(
    '/dunning/policies/:id',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Edit a policy: saves version + 1 with a new id; the edited version is kept as it was',
        description:
          'Only the latest version can be edited (409 otherwise). Actions already planned or sent keep pointing at the version they used.',
        params: idParam,
        body: policyEditSchema,
        response: { 201: policySchema, ...withConflict },
      },
    },
    async (request, reply) => {
      const saved = await inOrg(deps, request, adminRoles, (trx, auth) =>
        savePolicyVersion(trx, auth.orgId, request.params.id, request.body, actorOf(auth)),
      );
      return reply.code(201).send(saved);
    },
  );

  app.post(
    '/dunning/policies/:id/preview',
    {
      schema: {
        tags: ['dunning'],
        summary:
          "Render a step's message for a real customer, as the send would (optionally of an unsaved draft)",
        params: idParam,
        body: z.object({
          customerId: z.uuid(),
          stepIndex: z.number().int().min(0).max(19),
          lang: z.enum(['fr', 'en']).optional(),
          draft: policyEditSchema.optional(),
          templateDraft: templateOverrideSchema.optional(),
        }),
        response: { 200: stepPreviewSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, (trx, auth) =>
        previewPolicyStep(trx, auth.orgId, request.params.id, request.body, deps.now(), request.log),
      ),
  );

  app.get(
    '/dunning/policy-rules',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Which policy applies to whom: ordered rules, first match wins after a customer override',
        response: { 200: z.object({ rules: z.array(policyRuleSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      rules: await inOrg(deps, request, readRoles, (trx, auth) => listPolicyRules(trx, auth.orgId)),
    }),
  );

  app.put(
    '/dunning/policy-rules',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Replace the ordered selection rules (segment, customer kind, exposure, risk score)',
        body: z.object({ rules: z.array(policyRuleSchema).max(100) }),
        response: { 200: z.object({ rules: z.array(policyRuleSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      rules: await inOrg(deps, request, adminRoles, (trx, auth) =>
        replaceRules(trx, auth.orgId, request.body.rules),
      ),
    }),
  );

  app.get(
    '/customers/:id/dunning-policy',
    {
      schema: {
        tags: ['dunning'],
        summary: 'The policy the next run applies to this customer and why (override, matching rule or none)',
        params: idParam,
        response: {
          200: z
            .object({
              customerId: z.uuid(),
              policyKey: z.string().nullable(),
              policyName: z.string().nullable(),
              policyVersion: z.number().int().nullable(),
              source: z.enum(['override', 'rule', 'none']),
              ruleIndex: z.number().int().nullable().describe('0-based position of the matching rule'),
              rule: policyRuleSchema.nullable(),
              reason: z.string(),
              overrideKey: z.string().nullable(),
              exposureMinor: z.number().int(),
            })
            .meta({ id: 'CustomerDunningPolicy' }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, (trx, auth) =>
        explainCustomerPolicy(trx, auth.orgId, request.params.id),
      ),
  );

  app.put(
    '/customers/:id/dunning-policy',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Force a policy on one customer (its latest version applies); null follows the rules again',
        params: idParam,
        body: z.object({ policyKey: z.string().min(1).max(63).nullable() }),
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await inOrg(deps, request, adminRoles, (trx, auth) =>
        setCustomerPolicy(trx, auth.orgId, request.params.id, request.body.policyKey),
      );
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/dunning/settings',
    {
      schema: {
        tags: ['dunning'],
        summary: "Change the organisation's dunning settings (e.g. requireApproval)",
        body: dunningSettingsSchema,
        response: { 200: settingsOut, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, adminRoles, (trx, auth) => updateDunningSettings(trx, auth.orgId, request.body)),
  );
};
