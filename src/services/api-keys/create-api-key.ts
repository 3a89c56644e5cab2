import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type ApiKeySummary, insertApiKey } from '../../db/queries/api-keys.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { newToken } from './token.js';

export const roles = ['admin', 'collector', 'accountant', 'viewer'] as const;

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(roles).default('viewer'),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

export interface CreatedApiKey {
  key: ApiKeySummary;
  /** The full bearer token. Shown once: only a hash of its secret is stored. */
  token: string;
}

export async function createApiKey(
  db: Kysely<Database>,
  orgId: string,
  input: CreateApiKeyInput,
): Promise<CreatedApiKey> {
  const parsed = createApiKeyInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION',
      'Invalid API key',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
    );
  }
  const { token, prefix, secretSha256 } = newToken();
  const key = await insertApiKey(db, {
    org_id: orgId,
    name: parsed.data.name,
    role: parsed.data.role,
    prefix,
    secret_sha256: secretSha256,
  });
  return { key, token };
}
