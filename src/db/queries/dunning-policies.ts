import { type Kysely, type Selectable, sql } from 'kysely';
import {
  DEFAULT_POLICIES,
  DEFAULT_POLICY_RULES,
  type DunningPolicy,
  type PolicyRule,
} from '../../domain/dunning/index.js';
import type { DunningPoliciesTable } from '../schema/dunning.js';
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

export interface StoredPolicy extends DunningPolicy {
  isDefault: boolean;
  createdBy: string | null;
  createdAt: string;
}

function storedPolicyOf(r: Selectable<DunningPoliciesTable>): StoredPolicy {
  const d = r.definition as unknown as Pick<DunningPolicy, 'automaticSends' | 'replayMissedSteps' | 'steps'>;
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    version: r.version,
    kind: r.kind,
    automaticSends: d.automaticSends,
    replayMissedSteps: d.replayMissedSteps,
    steps: d.steps,
    isDefault: r.is_default,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at as unknown as string).toISOString(),
  };
}

/** Every version of every policy, by key then version. */
export async function listPolicyVersions(db: Kysely<Database>, orgId: string): Promise<StoredPolicy[]> {
  const rows = await db
    .selectFrom('dunning_policies')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('key')
    .orderBy('version')
    .execute();
  return rows.map(storedPolicyOf);
}

export async function getPolicyVersion(
  db: Kysely<Database>,
  orgId: string,
  id: string,
): Promise<StoredPolicy | undefined> {
  const r = await db
    .selectFrom('dunning_policies')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? storedPolicyOf(r) : undefined;
}

export async function latestPolicyVersion(
  db: Kysely<Database>,
  orgId: string,
  key: string,
): Promise<number | undefined> {
  const r = await db
    .selectFrom('dunning_policies')
    .select(sql<number | null>`max(version)`.as('v'))
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .executeTakeFirst();
  return r?.v ?? undefined;
}

/**
 * Insert a version. The (org_id, key, version) unique key makes two concurrent edits of
 * the same version collide: the second insert returns null and the caller reports a conflict.
 */
export async function insertPolicyVersion(
  db: Kysely<Database>,
  orgId: string,
  p: DunningPolicy,
  createdBy: string | null,
): Promise<StoredPolicy | null> {
  const r = await db
    .insertInto('dunning_policies')
    .values({
      org_id: orgId,
      key: p.key,
      version: p.version,
      name: p.name,
      kind: p.kind,
      definition: JSON.stringify(definitionOf(p)),
      is_default: false,
      created_by: createdBy,
    })
    .onConflict((oc) => oc.columns(['org_id', 'key', 'version']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return r ? storedPolicyOf(r) : null;
}

/** Replace the ordered selection rules in one go (positions 1..n). */
export async function replacePolicyRules(
  db: Kysely<Database>,
  orgId: string,
  rules: PolicyRule[],
): Promise<void> {
  await db.deleteFrom('dunning_policy_rules').where('org_id', '=', orgId).execute();
  if (rules.length === 0) return;
  await db
    .insertInto('dunning_policy_rules')
    .values(
      rules.map((r, i) => ({
        org_id: orgId,
        position: i + 1,
        policy_key: r.policyKey,
        label: r.label ?? null,
        conditions: JSON.stringify(r.when),
      })),
    )
    .execute();
}

/** Per-customer override; null returns the customer to the selection rules. Returns false if no such customer. */
export async function setCustomerPolicyOverride(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  policyKey: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable('customers')
    .set({ dunning_policy_key: policyKey })
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
