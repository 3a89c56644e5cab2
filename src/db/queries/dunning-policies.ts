import { type Kysely, sql } from 'kysely';
import {
  DEFAULT_POLICIES,
  DEFAULT_POLICY_RULES,
  type DunningPolicy,
  type PolicyRule,
} from '../../domain/dunning/index.js';
import type { Database } from '../schema/index.js';

export interface OrgPolicies {
  /** Every stored version; the planner uses the latest of each key. */
  policies: DunningPolicy[];
  rules: PolicyRule[];
}

function definitionOf(p: DunningPolicy) {
  return { automaticSends: p.automaticSends, replayMissedSteps: p.replayMissedSteps, steps: p.steps };
}

/** First use for an organisation: store the default French policies and selection rules. */
export async function ensureDefaultPolicies(db: Kysely<Database>, orgId: string): Promise<void> {
  const existing = await db
    .selectFrom('dunning_policies')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  if (existing.n > 0) return;
  await db
    .insertInto('dunning_policies')
    .values(
      DEFAULT_POLICIES.map((p) => ({
        org_id: orgId,
        id: p.id,
        key: p.key,
        version: p.version,
        name: p.name,
        kind: p.kind,
        definition: JSON.stringify(definitionOf(p)),
        is_default: true,
        created_by: 'system',
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('dunning_policy_rules')
    .values(
      DEFAULT_POLICY_RULES.map((r, i) => ({
        org_id: orgId,
        position: i + 1,
        policy_key: r.policyKey,
        label: r.label ?? null,
        conditions: JSON.stringify(r.when),
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function loadPolicies(db: Kysely<Database>, orgId: string): Promise<OrgPolicies> {
  const rows = await db.selectFrom('dunning_policies').selectAll().where('org_id', '=', orgId).execute();
  const rules = await db
    .selectFrom('dunning_policy_rules')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('position')
    .execute();
  return {
    policies: rows.map((r) => {
      const d = r.definition as unknown as Pick<
        DunningPolicy,
        'automaticSends' | 'replayMissedSteps' | 'steps'
      >;
      return {
        id: r.id,
        key: r.key,
        name: r.name,
        version: r.version,
        kind: r.kind,
        automaticSends: d.automaticSends,
        replayMissedSteps: d.replayMissedSteps,
        steps: d.steps,
      };
    }),
    rules: rules.map((r) => ({
      policyKey: r.policy_key,
      ...(r.label ? { label: r.label } : {}),
      when: r.conditions as PolicyRule['when'],
    })),
  };
}
