import type { Kysely } from 'kysely';
import { z } from 'zod';
import { findUserByEmail, insertUser, type UserSummary } from '../../db/queries/users.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { roles } from '../api-keys/create-api-key.js';
import { hashPassword } from './password.js';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'not a valid email address' }).max(254));
/** Length over composition rules (NIST SP 800-63B §5.1.1.2). */
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(200);

export const createUserInput = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(200),
  password: passwordSchema,
  role: z.enum(roles).default('viewer'),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export async function createUser(
  db: Kysely<Database>,
  orgId: string,
  input: CreateUserInput,
): Promise<UserSummary> {
  const parsed = createUserInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION',
      'Invalid user',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
    );
  }
  const u = parsed.data;
  if (await findUserByEmail(db, u.email)) {
    throw new AppError('CONFLICT', 'A user with this email already exists', [
      { field: 'email', reason: 'already registered' },
    ]);
  }
  return insertUser(db, {
    org_id: orgId,
    email: u.email,
    name: u.name,
    role: u.role,
    password_hash: await hashPassword(u.password),
    disabled_at: null,
  });
}
