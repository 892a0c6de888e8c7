// Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and says where the time went: the functions with the most
// self time, and the same time grouped by where the code lives (our domain, engine, adapters, the embedded database,
// Node itself, the garbage collector).
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** Microseconds on the `process.hrtime` clock. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface HotFunction {
  /** `name (file:line)`, the file relative to the project. */
  readonly where: string;
  readonly selfMs: number;
  readonly share: number;
}

export interface AreaTime {
  readonly area: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly top: readonly HotFunction[];
  /**
   * Time per area of the code, largest first. Time spent in Node's internals and natives (promises, timers, abort
   * signals, Buffer work) is charged to the nearest caller in the project or a library, which is where a change
   * would have to be made.
   */
  readonly areas: readonly AreaTime[];
}

const INTERNALS = 'Node.js internals and natives';
const PGLITE = 'PGlite (embedded Postgres: WebAssembly and its JS glue)';
const WASM = "PGlite's Postgres (WebAssembly)";

/** Where a script lives, in the words a reader of the report uses. */
export function areaOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return `V8 ${functionName}`;
  if (url.startsWith('wasm://')) return PGLITE;
  const path = url.replace(/^file:\/\//, '');
  if (path.includes('/node_modules/@electric-sql/pglite')) return PGLITE;
  if (path.includes('/node_modules/')) return `library: ${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'other'}`;
  const inSource = /\/src\/(domain|engine|adapters\/[^/]+|cli|testing|ports)\//.exec(path);
  if (inSource) return `src/${inSource[1]}`;
  if (path.startsWith('node:') || path === '' || !path.startsWith('/')) return INTERNALS;
  return 'other';
}

/** A span on the profile's clock, which is `process.hrtime` in microseconds. */
export interface ProfileWindow {
  readonly fromUs: number;
  readonly toUs: number;
}

/** Now on the clock of `--cpu-prof` profiles, so a child can mark the span worth summarising. */
export function profileClockUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Summarises the samples inside `window` (the whole profile without one), `topCount` hottest functions. */
export async function summariseProfile(file: string, root: string, window?: ProfileWindow, topCount = 12): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the delta to the next sample; the last one gets nothing, as Chrome's DevTools does.
  let at = profile.startTime;
  for (let index = 0; index < samples.length; index += 1) {
    at += deltas[index] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    const id = samples[index] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, deltas[index + 1] ?? 0));
  }
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    totalUs += us;
    const where = describeFrame(node, root);
    functions.set(where, (functions.get(where) ?? 0) + us);
    const area = chargedArea(node, byId, parentOf);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const share = (us: number) => (totalUs > 0 ? us / totalUs : 0);
  const top = [...functions.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topCount)
    .map(([where, us]) => ({ where, selfMs: us / 1000, share: share(us) }));
  const grouped = [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: us / 1000, share: share(us) }));
  return { totalMs: totalUs / 1000, top, areas: grouped };
}

/** `function (file)`; every WebAssembly function is PGlite's Postgres, and their numbered names say nothing. */
function describeFrame(node: ProfileNode, root: string): string {
  const { functionName, url } = node.callFrame;
  if (url.startsWith('wasm://')) return WASM;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = url.startsWith('file://') ? relative(root, url.slice('file://'.length)) : url;
  return `${name} (${file})`;
}

/** The area of the frame, or for Node internals the area of the nearest caller outside them. */
function chargedArea(node: ProfileNode, byId: ReadonlyMap<number, ProfileNode>, parentOf: ReadonlyMap<number, number>): string {
  const own = areaOf(node.callFrame.url, node.callFrame.functionName);
  if (own !== INTERNALS) return own;
  for (let id = parentOf.get(node.id); id !== undefined; id = parentOf.get(id)) {
    const caller = byId.get(id);
    if (!caller) break;
    const area = areaOf(caller.callFrame.url, caller.callFrame.functionName);
    if (area !== INTERNALS && !area.startsWith('V8 ')) return area;
  }
  return own;
}
