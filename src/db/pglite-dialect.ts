import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * PGlite is one connection. Kysely runs a transaction as BEGIN…COMMIT on the connection
 * it acquired, so any other query issued meanwhile (another request, pg-boss) would land
 * inside that transaction. This lock serialises every user of the PGlite instance:
 * Kysely, pg-boss and raw callers all go through `exclusive`.
 */
export class PGliteLock {
  #tail: Promise<void> = Promise.resolve();

  constructor(private readonly waitWarningMs = 60_000) {}

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    const timer = setTimeout(() => {
      // A query that waits this long on an embedded database is almost always a query
      // issued with `db` while the same code path holds a transaction `trx`: say so.
      process.emitWarning(
        'Waited over 60s for the embedded database: a query may be running outside its transaction',
      );
    }, this.waitWarningMs);
    timer.unref();
    await previous;
    clearTimeout(timer);
    return release;
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (compiled.parameters.length === 0) {
      // Unparameterised text may hold several statements (migrations): use the simple protocol.
      const results = await this.pg.exec(compiled.sql);
      const last = results[results.length - 1];
      const n = last?.affectedRows;
      return { rows: (last?.rows ?? []) as R[], ...(n !== undefined ? { numAffectedRows: BigInt(n) } : {}) };
    }
    const result = await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    // PGlite holds results in memory anyway; chunking keeps the consumer's contract.
    const { rows } = await this.executeQuery<R>(compiled);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

class PGliteDriver implements Driver {
  #release: (() => void) | undefined;
  readonly #connection: PGliteConnection;

  constructor(
    private readonly pg: PGlite,
    private readonly lock: PGliteLock,
  ) {
    this.#connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.lock.acquire();
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(
    private readonly pg: PGlite,
    private readonly lock: PGliteLock,
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return new PGliteDriver(this.pg, this.lock);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's introspector takes any database.
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}
