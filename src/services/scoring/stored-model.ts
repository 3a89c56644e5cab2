import type { StoredModel } from '../../db/queries/risk.js';
import { FEATURE_NAMES } from '../../domain/scoring/features.js';
import { priorModel, type RiskModel } from '../../domain/scoring/model.js';

/** The model a stored row holds; a row from another feature set is refused, not misread. */
export function riskModelOf(stored: StoredModel | null): { model: RiskModel; version: number | null } {
  if (!stored) return { model: priorModel('no model trained yet'), version: null };
  const m = stored.model as unknown as RiskModel;
  if (JSON.stringify(m.featureNames) !== JSON.stringify(FEATURE_NAMES))
    return { model: priorModel(`model v${stored.version} has other features: train again`), version: null };
  return { model: m, version: stored.version };
}
