/**
 * npx tsx test/bench/support/cpu-profile-summary.ts <file.cpuprofile> [top=25]
 *
 * The functions with the most self time in a V8 CPU profile (as `node --cpu-prof` or
 * phase-profile.ts writes one), with their share of the samples, and the same summed by area.
 */
import { type SelfTime, selfTimes } from './profile-top';

const [file, top = '25'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const { functions, areas, totalMs } = selfTimes(file, Number(top));
const print = (title: string, rows: readonly SelfTime[]) => {
  console.log(`\n${title}`);
  for (const row of rows) {
    console.log(
      `${(row.share * 100).toFixed(1).padStart(5)}%  ${String(row.ms).padStart(7)} ms  ${row.name}`,
    );
  }
};
console.log(`${file}: ${totalMs} ms sampled`);
print('self time by function', functions);
print('self time by area', areas);
