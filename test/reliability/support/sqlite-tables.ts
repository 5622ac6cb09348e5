/**
 * A SQLite database's tables as plain data, to compare two databases table by table: every user
 * table (sqlite_* internals aside), its rows sorted by every column, so that two databases holding
 * the same rows compare equal whatever order the rows were written in.
 */
import Database from 'better-sqlite3';

export type Tables = Record<string, unknown[][]>;

/**
 * Every table but those in `except`. Opened read-write though only read: a copied database whose
 * WAL came without its -shm is recovered on opening, which a read-only connection cannot do.
 */
export function tablesOf(file: string, except: readonly string[] = []): Tables {
  const db = new Database(file, { fileMustExist: true });
  try {
    const names = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const tables: Tables = {};
    for (const name of names) {
      if (except.includes(name)) continue;
      const columns = (db.pragma(`table_info(${quoted(name)})`) as { name: string }[]).length;
      const order = Array.from({ length: columns }, (_, i) => String(i + 1)).join(', ');
      tables[name] = db
        .prepare(`SELECT * FROM ${quoted(name)} ORDER BY ${order}`)
        .raw()
        .all() as unknown[][];
    }
    return tables;
  } finally {
    db.close();
  }
}

/**
 * The differences between two sets of tables, at most `limit` lines: tables present in one only,
 * and for each table the first rows that differ. Empty when they are equal.
 */
export function diffTables(live: Tables, rebuilt: Tables, limit = 20): string[] {
  const lines: string[] = [];
  const names = [...new Set([...Object.keys(live), ...Object.keys(rebuilt)])].sort();
  for (const name of names) {
    const a = live[name];
    const b = rebuilt[name];
    if (a === undefined || b === undefined) {
      lines.push(`table ${name}: only in the ${a === undefined ? 'rebuilt' : 'live'} read model`);
      continue;
    }
    const left = a.map((row) => JSON.stringify(row));
    const right = b.map((row) => JSON.stringify(row));
    // Both sorted by every column: equal tables are equal row by row.
    if (left.length === right.length && left.every((row, i) => row === right[i])) continue;
    const before = lines.length;
    if (left.length !== right.length) {
      lines.push(`table ${name}: ${left.length} rows live, ${right.length} rebuilt`);
    }
    const inRight = new Set(right);
    const inLeft = new Set(left);
    for (const row of left.filter((r) => !inRight.has(r)).slice(0, 5)) {
      lines.push(`table ${name}: live only ${row.slice(0, 300)}`);
    }
    for (const row of right.filter((r) => !inLeft.has(r)).slice(0, 5)) {
      lines.push(`table ${name}: rebuilt only ${row.slice(0, 300)}`);
    }
    if (lines.length === before)
      lines.push(`table ${name}: a row repeated a different number of times`);
  }
  return lines.slice(0, limit);
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
