import type { SqliteDatabase } from './sqlite.js';

/** One schema step; versions in a namespace start at 1 and only ever grow. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** The database was written by newer code; running older code on it could corrupt it. */
export class SchemaTooNewError extends SchemaError {
  override name = 'SchemaTooNewError';
  constructor(
    readonly namespace: string,
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `database schema "${namespace}" is at version ${databaseVersion} but this program only knows up to ${codeVersion}; upgrade the program (or restore a matching backup) before opening it`,
    );
  }
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  namespace TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL,
  PRIMARY KEY (namespace, version)
)`;

function checkList(namespace: string, migrations: readonly Migration[]): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(namespace))
    throw new SchemaError(`invalid migration namespace ${JSON.stringify(namespace)}`);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new SchemaError(
        `migrations for "${namespace}" must be numbered 1, 2, 3…; entry ${i} has version ${m.version}`,
      );
    }
  });
}

/**
 * Brings one namespace of the schema up to date. Several components (registry, console) share one
 * file, each with its own namespace; the whole run is one IMMEDIATE transaction so two processes
 * opening the file at once cannot apply the same step twice.
 * Returns the versions applied by this call.
 */
export function migrate(
  db: SqliteDatabase,
  namespace: string,
  migrations: readonly Migration[],
  now = Date.now(),
): number[] {
  checkList(namespace, migrations);
  db.exec(LEDGER);
  const run = db.transaction((): number[] => {
    const applied = db
      .prepare('SELECT version, name FROM schema_migrations WHERE namespace = ? ORDER BY version')
      .all(namespace) as { version: number; name: string }[];
    const current = applied.at(-1)?.version ?? 0;
    if (current > migrations.length) throw new SchemaTooNewError(namespace, current, migrations.length);
    for (const row of applied) {
      const known = migrations[row.version - 1];
      if (known?.name !== row.name) {
        throw new SchemaError(
          `database schema "${namespace}" version ${row.version} is "${row.name}" but this program expects "${known?.name}"; the histories diverged`,
        );
      }
    }
    const record = db.prepare(
      'INSERT INTO schema_migrations (namespace, version, name, applied_at) VALUES (?, ?, ?, ?)',
    );
    const done: number[] = [];
    for (const m of migrations.slice(current)) {
      db.exec(m.sql);
      record.run(namespace, m.version, m.name, now);
      done.push(m.version);
    }
    return done;
  });
  return run.immediate();
}

/** Highest applied version of a namespace (0 when none). */
export function schemaVersion(db: SqliteDatabase, namespace: string): number {
  db.exec(LEDGER);
  const row = db
    .prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE namespace = ?')
    .get(namespace) as {
    v: number | null;
  };
  return row.v ?? 0;
}
