import type { z } from 'zod';

/**
 * One typed catalogue of background jobs: name, zod payload, retry policy. Payloads carry
 * ids, never copies of rows; handlers are idempotent because pg-boss delivers at least once.
 */
export interface JobDefinition<P extends z.ZodType = z.ZodType> {
  name: string;
  payload: P;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  expireInSeconds: number;
}

export function defineJob<P extends z.ZodType>(
  def: Pick<JobDefinition<P>, 'name' | 'payload'> & Partial<Omit<JobDefinition<P>, 'name' | 'payload'>>,
): JobDefinition<P> {
  return {
    retryLimit: 5,
    retryDelaySeconds: 30,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
    ...def,
  };
}

/** A failure that retrying cannot fix (bad payload, hard bounce): recorded, not retried. */
export class PermanentJobError extends Error {
  constructor(
    message: string,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
