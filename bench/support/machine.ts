import os from 'node:os';
import pg from 'pg';

export interface MachineFacts {
  readonly nproc: number;
  readonly node: string;
  readonly cpu: string;
}

export const machineFacts = (): MachineFacts => ({
  nproc: os.availableParallelism?.() ?? os.cpus().length,
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
});

/** The PostgreSQL server's version string (`SHOW server_version`). */
export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0].server_version;
  } finally {
    await client.end();
  }
}
