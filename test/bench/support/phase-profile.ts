/**
 * CPU profiles of one phase of a benchmark (not of its seeding), through the inspector: when
 * BENCH_PROFILE_DIR is set, `profiled('rebuild', fn)` writes BENCH_PROFILE_DIR/rebuild.cpuprofile,
 * which support/cpu-profile-summary.ts summarises (or Chrome DevTools opens).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const DIR = process.env.BENCH_PROFILE_DIR;

export async function profiled<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (DIR === undefined || DIR === '') return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(DIR, { recursive: true });
    const file = join(DIR, `${name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`  profile: ${file}`);
  }
}
