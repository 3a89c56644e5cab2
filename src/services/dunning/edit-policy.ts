import type { Kysely } from 'kysely';
import {
  ensureDefaultPolicies,
  getPolicyVersion,
  insertPolicyVersion,
  latestPolicyVersion,
  listPolicyVersions,
  type StoredPolicy,
} from '../../db/queries/dunning-policies.js';
import type { Database } from '../../db/schema/index.js';
import { type DunningPolicy, parsePolicy } from '../../domain/dunning/index.js';
import { AppError, notFound } from '../../errors.js';

export interface PolicyWithVersions {
  key: string;
  latest: StoredPolicy;
  versions: { id: string; version: number; createdAt: string; createdBy: string | null }[];
}

/** Every policy key with its latest version and the list of versions (defaults stored on first use). */
export async function listPolicies(db: Kysely<Database>, orgId: string): Promise<PolicyWithVersions[]> {
  await ensureDefaultPolicies(db, orgId);
  const byKey = new Map<string, PolicyWithVersions>();
  for (const p of await listPolicyVersions(db, orgId)) {
    const v = { id: p.id, version: p.version, createdAt: p.createdAt, createdBy: p.createdBy };
    const hit = byKey.get(p.key);
    if (!hit) byKey.set(p.key, { key: p.key, latest: p, versions: [v] });
    else {
      hit.versions.push(v);
      if (p.version > hit.latest.version) hit.latest = p;
    }
  }
  return [...byKey.values()];
}

export async function getPolicy(
  db: Kysely<Database>,
  orgId: string,
  id: string,
): Promise<StoredPolicy & { latestVersion: number }> {
  await ensureDefaultPolicies(db, orgId);
  const p = await getPolicyVersion(db, orgId, id);
  if (!p) throw notFound('Dunning policy', id);
  return { ...p, latestVersion: (await latestPolicyVersion(db, orgId, p.key)) ?? p.version };
}

/** An edit as received; parsePolicy validates the steps (zod, then the policy's own rules). */
export type PolicyEdit = Pick<DunningPolicy, 'name' | 'kind' | 'automaticSends' | 'replayMissedSteps'> & {
  steps: unknown[];
};

/**
 * Edit a policy: the edit becomes version + 1 with a new id, and the edited version is never
 * rewritten — outbox rows, step history and evidence keep pointing at (policy id, version)
 * they were planned with. Editing anything but the latest version is refused (someone else
 * saved meanwhile), so no edit silently discards another.
 */
export async function savePolicyVersion(
  db: Kysely<Database>,
  orgId: string,
  baseId: string,
  edit: PolicyEdit,
  createdBy: string | null,
): Promise<StoredPolicy> {
  const base = await getPolicy(db, orgId, baseId);
  if (base.version !== base.latestVersion)
    throw new AppError(
      'CONFLICT',
      `version ${base.version} of ${base.key} is not the latest (${base.latestVersion}): edit the latest version`,
      [],
      { latestVersion: base.latestVersion },
    );
  const next = parsePolicy({ ...edit, id: base.id, key: base.key, version: base.version + 1 });
  const saved = await insertPolicyVersion(db, orgId, next, createdBy);
  if (!saved)
    throw new AppError('CONFLICT', `${base.key} version ${next.version} was saved by someone else meanwhile`);
  return saved;
}
