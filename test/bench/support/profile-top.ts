/**
 * The functions with the most self time in a V8 CPU profile (`node --cpu-prof` writes one when
 * the process exits), and the same summed by package or source directory: what bounds a run.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface Profile {
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

/** node_modules/<pkg>, dist/src/<dir>, dist/libs/<lib>, node:<module>, or (program), (gc)… */
function areaOf(url: string, functionName: string): string {
  if (url === '') return `(${functionName || 'native'})`;
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1] as string;
  const own = /\/(dist\/(?:src|libs)\/[^/]+)/.exec(path);
  if (own) return own[1] as string;
  return path.startsWith('node:') ? path : path.split('/').slice(-2).join('/');
}

/** Milliseconds from the start of the profile (about when the process started). */
export interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Self time by function and by area, over the whole profile or the samples within `window`. */
export function selfTimes(
  file: string,
  top = 20,
  window?: Window,
): { functions: SelfTime[]; areas: SelfTime[]; totalMs: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const micros = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const ms = (at - profile.startTime) / 1000;
    if (window !== undefined && (ms < window.fromMs || ms > window.toMs)) return;
    micros.set(id, (micros.get(id) ?? 0) + delta);
  });
  const total = [...micros.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of micros) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    const where =
      url === '' ? '' : ` ${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const ranked = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: us / total }));
  return { functions: ranked(functions), areas: ranked(areas), totalMs: Math.round(total / 1000) };
}
