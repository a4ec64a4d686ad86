/**
 * Sums a V8 `.cpuprofile` (as written by `node --cpu-prof`) over a measured window: self time by
 * category and by function, and Bastion's share attributed to its own frames, per request.
 */
import { BASTION, FrameResolver, IDLE, type CallFrame, type Frame } from './frames.js';

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The measured window (server clock, µs, the clock `--cpu-prof` stamps samples with) and what it served. */
export interface ProfileWindow {
  startUs: number;
  endUs: number;
  requests: number;
  /** Process CPU time (all threads) over the window, µs. */
  cpuUs: number;
}

export interface Attributed {
  frame: Frame;
  /** Time with this frame on the stack as the Bastion frame nearest the leaf (or farthest, for entries). */
  totalUs: number;
  /** Time in the frame's own code. */
  selfUs: number;
  /** The rest of `totalUs`, by the category of the leaf frame (what it called into). */
  callees: Map<string, number>;
}

export interface Analysis {
  requests: number;
  /** JS-thread time sampled in the window, idle excluded, µs. */
  busyUs: number;
  idleUs: number;
  windowUs: number;
  cpuUs: number;
  samples: number;
  byCategory: Map<string, number>;
  byFunction: Map<string, { frame: Frame; selfUs: number }>;
  /** Each sample charged to the Bastion frame nearest the leaf: Bastion's hot spots, library calls included. */
  bastionInnermost: Map<string, Attributed>;
  /** Each sample charged to the Bastion frame nearest the root: what each Bastion layer costs in all. */
  bastionEntries: Map<string, Attributed>;
  /** Time with any Bastion frame on the stack. */
  underBastionUs: number;
}

function charge(map: Map<string, Attributed>, frame: Frame, leaf: Frame, self: boolean, dt: number): void {
  let entry = map.get(frame.key);
  if (!entry) map.set(frame.key, (entry = { frame, totalUs: 0, selfUs: 0, callees: new Map() }));
  entry.totalUs += dt;
  if (self) entry.selfUs += dt;
  else entry.callees.set(leaf.category, (entry.callees.get(leaf.category) ?? 0) + dt);
}

/** `adapter` settles packages both adapters use; without `window` the whole profile counts (requests unknown: 1). */
export function analyse(profile: CpuProfile, window?: ProfileWindow, adapter?: string): Analysis {
  const resolver = new FrameResolver(adapter);
  const parent = new Map<number, number>();
  const frames = new Map<number, Frame>();
  for (const node of profile.nodes) {
    frames.set(node.id, resolver.resolve(node.callFrame));
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const a: Analysis = {
    requests: window?.requests ?? 1,
    busyUs: 0,
    idleUs: 0,
    windowUs: window ? window.endUs - window.startUs : profile.endTime - profile.startTime,
    cpuUs: window?.cpuUs ?? 0,
    samples: 0,
    byCategory: new Map(),
    byFunction: new Map(),
    bastionInnermost: new Map(),
    bastionEntries: new Map(),
    underBastionUs: 0,
  };
  const start = window?.startUs ?? -Infinity;
  const end = window?.endUs ?? Infinity;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < start || t > end) continue;
    // A sample stands for the time until the next one.
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i]!;
    const leafId = profile.samples[i]!;
    const leaf = frames.get(leafId)!;
    a.samples++;
    if (leaf.category === IDLE) {
      a.idleUs += dt;
      continue;
    }
    a.busyUs += dt;
    a.byCategory.set(leaf.category, (a.byCategory.get(leaf.category) ?? 0) + dt);
    const fn = a.byFunction.get(leaf.key) ?? { frame: leaf, selfUs: 0 };
    fn.selfUs += dt;
    a.byFunction.set(leaf.key, fn);
    let innermost: number | undefined;
    let outermost: number | undefined;
    for (let id: number | undefined = leafId; id !== undefined; id = parent.get(id)) {
      if (frames.get(id)!.category !== BASTION) continue;
      innermost ??= id;
      outermost = id;
    }
    if (innermost === undefined || outermost === undefined) continue;
    a.underBastionUs += dt;
    charge(a.bastionInnermost, frames.get(innermost)!, leaf, innermost === leafId, dt);
    charge(a.bastionEntries, frames.get(outermost)!, leaf, outermost === leafId, dt);
  }
  if (window && a.samples === 0) throw new Error('no sample inside the window: the profile and the window clocks do not match');
  return a;
}
