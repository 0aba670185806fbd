/**
 * Train / validation / test splits that keep every group (patient, by default) in one set, seeded and
 * deterministic, optionally stratified by label; and a leakage check for existing splits.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import { isRecord } from '../util/guards.js';
import { seededRandom as rng } from '../util/random.js';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

export interface SplitOptions<T> {
  /** Proportions of train, validation and test. Default [0.8, 0.1, 0.1]; normalised to sum 1. */
  ratios?: [number, number, number];
  /** Group key: no group spans two sets. Default: the item's patient id (see {@link defaultPatientId}). */
  groupBy?: (item: T) => string | undefined;
  /** Stratum of an item (e.g. its main label): each stratum is split in the given proportions. */
  stratifyBy?: (item: T) => string | undefined;
  /** Same seed, same split. Default 0. */
  seed?: number | string;
}

export interface SplitReport {
  seed: number | string;
  ratios: [number, number, number];
  /** Items per set. */
  sizes: Record<SplitName, number>;
  /** Groups per set. */
  groups: Record<SplitName, number>;
  /** Achieved proportions of items. */
  achieved: [number, number, number];
  /** Items that had no group key and so form a group of their own. */
  ungrouped: number;
  /** Items per set for each stratum, when stratified. */
  strata?: Record<string, Record<SplitName, number>>;
  /** Groups found in more than one set: always empty for a split made here, see checkSplit. */
  leakage: LeakageEntry[];
}

export interface LeakageEntry {
  group: string;
  sets: SplitName[];
  items: number;
}

export interface SplitResult<T> {
  train: T[];
  validation: T[];
  test: T[];
  report: SplitReport;
}

/**
 * The patient id of an item: `patientId`, `PatientID`, `metadata.patientId` or `stack.metadata.patientId`,
 * the first that is a non-empty string.
 */
export function defaultPatientId(item: unknown): string | undefined {
  if (!isRecord(item)) return typeof item === 'string' ? item : undefined;
  const candidates = [
    item['patientId'],
    item['PatientID'],
    isRecord(item['metadata']) ? item['metadata']['patientId'] : undefined,
    isRecord(item['stack']) && isRecord(item['stack']['metadata'])
      ? item['stack']['metadata']['patientId']
      : undefined,
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c !== '');
}

/** A 32-bit hash of a seed (FNV-1a over its string form). */
function seedHash(seed: number | string): number {
  const s = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function shuffle<T>(list: T[], random: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/**
 * Splits items into train, validation and test sets in the given proportions, keeping each group (patient)
 * in one set. Groups are shuffled with the seed (same seed and items, same split whatever the input order)
 * (for grouped items the result does not depend on the input order) and given in turn to the set furthest
 * below its target. With `stratifyBy`, each group takes the stratum
 * most of its items have and every stratum is split on its own. Throws VoxmarkError('invalid-argument')
 * for bad ratios.
 */
export function splitDataset<T>(items: readonly T[], options: SplitOptions<T> = {}): SplitResult<T> {
  const ratios = normalizedRatios(options.ratios ?? [0.8, 0.1, 0.1]);
  const seed = options.seed ?? 0;
  const grouping = groupItems(items, options.groupBy ?? ((item: T) => defaultPatientId(item)));
  const strata = groupStrata(grouping.groups, options.stratifyBy);
  const assigned = assignGroups(grouping.groups, strata, ratios, rng(seedHash(seed)));

  const sets: [T[], T[], T[]] = [[], [], []];
  // Keep the input order within each set.
  items.forEach((item, i) => sets[assigned.get(grouping.keyOf[i]!)!]!.push(item));
  const report = splitReport(sets, assigned, { seed, ratios, ungrouped: grouping.ungrouped }, options);
  return { train: sets[0], validation: sets[1], test: sets[2], report };
}

/** The ratios scaled to sum to 1. Throws VoxmarkError('invalid-argument') for bad ratios. */
function normalizedRatios(raw: readonly number[]): [number, number, number] {
  if (
    !Array.isArray(raw) ||
    raw.length !== 3 ||
    raw.some((r) => !(Number.isFinite(r) && r >= 0)) ||
    raw[0]! + raw[1]! + raw[2]! <= 0
  ) {
    throw new VoxmarkError(
      ErrorCode.InvalidArgument,
      `Split ratios must be three non-negative numbers with a positive sum, got ${JSON.stringify(raw)}`,
    );
  }
  const sum = raw[0]! + raw[1]! + raw[2]!;
  return raw.map((r) => r / sum) as [number, number, number];
}

/** Groups items; ungrouped items are their own group, keyed by position so the key is stable. */
function groupItems<T>(items: readonly T[], groupBy: (item: T) => string | undefined) {
  const groups = new Map<string, T[]>();
  const keyOf: string[] = [];
  let ungrouped = 0;
  items.forEach((item, i) => {
    let key = groupBy(item);
    if (key === undefined || key === '') {
      ungrouped++;
      key = `\u0000item:${i}`;
    } else key = `g:${key}`;
    keyOf.push(key);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(item);
  });
  return { groups, keyOf, ungrouped };
}

/** Group keys by stratum, sorted. A group's stratum is its most common item stratum (ties: the smallest name). */
function groupStrata<T>(
  groups: Map<string, T[]>,
  stratifyBy: ((item: T) => string | undefined) | undefined,
): Map<string, string[]> {
  const strataOf = new Map<string, string>();
  for (const [key, list] of groups) {
    if (!stratifyBy) {
      strataOf.set(key, '');
      continue;
    }
    const counts = new Map<string, number>();
    for (const item of list) {
      const s = stratifyBy(item) ?? '';
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const best = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]!;
    strataOf.set(key, best[0]);
  }
  const strata = new Map<string, string[]>();
  for (const key of [...groups.keys()].sort()) {
    const s = strataOf.get(key)!;
    let list = strata.get(s);
    if (!list) strata.set(s, (list = []));
    list.push(key);
  }
  return strata;
}

/** Gives each group, stratum by stratum, to the set furthest below its target. Returns set index by group key. */
function assignGroups<T>(
  groups: Map<string, T[]>,
  strata: Map<string, string[]>,
  ratios: [number, number, number],
  random: () => number,
): Map<string, number> {
  const assigned = new Map<string, number>();
  for (const name of [...strata.keys()].sort()) {
    const keys = shuffle(strata.get(name)!, random);
    // Larger groups first keeps proportions close; the shuffle decides among equal sizes.
    keys.sort((a, b) => groups.get(b)!.length - groups.get(a)!.length);
    const total = keys.reduce((s, k) => s + groups.get(k)!.length, 0);
    const count = [0, 0, 0];
    for (const key of keys) {
      const n = groups.get(key)!.length;
      let best = -1;
      let bestDeficit = -Infinity;
      for (let s = 0; s < 3; s++) {
        if (ratios[s] === 0) continue;
        const deficit = ratios[s]! * total - count[s]! - n / 2;
        if (deficit > bestDeficit + 1e-9) {
          best = s;
          bestDeficit = deficit;
        }
      }
      assigned.set(key, best);
      count[best]! += n;
    }
  }
  return assigned;
}

/** The report of a finished split: sizes, group counts, achieved ratios, strata and leakage. */
function splitReport<T>(
  sets: [T[], T[], T[]],
  assigned: Map<string, number>,
  base: Pick<SplitReport, 'seed' | 'ratios' | 'ungrouped'>,
  options: SplitOptions<T>,
): SplitReport {
  const groupCounts = [0, 0, 0];
  for (const s of assigned.values()) groupCounts[s]!++;
  const n = Math.max(1, sets[0].length + sets[1].length + sets[2].length);
  const report: SplitReport = {
    seed: base.seed,
    ratios: base.ratios,
    sizes: { train: sets[0].length, validation: sets[1].length, test: sets[2].length },
    groups: { train: groupCounts[0]!, validation: groupCounts[1]!, test: groupCounts[2]! },
    achieved: [sets[0].length / n, sets[1].length / n, sets[2].length / n],
    ungrouped: base.ungrouped,
    leakage: [],
  };
  if (options.stratifyBy) {
    const per: Record<string, Record<SplitName, number>> = {};
    sets.forEach((set, s) => {
      for (const item of set) {
        const st = options.stratifyBy!(item) ?? '';
        per[st] ??= { train: 0, validation: 0, test: 0 };
        per[st][SPLIT_NAMES[s]!]++;
      }
    });
    report.strata = per;
  }
  report.leakage = checkSplit(
    { train: sets[0], validation: sets[1], test: sets[2] },
    { groupBy: options.groupBy },
  ).leakage;
  return report;
}

/**
 * Checks an existing split for leakage: every group (patient, by default) found in more than one set.
 * Items without a group key are not counted.
 */
export function checkSplit<T>(
  split: { train: readonly T[]; validation: readonly T[]; test: readonly T[] },
  options: { groupBy?: ((item: T) => string | undefined) | undefined } = {},
): { leakage: LeakageEntry[]; sizes: Record<SplitName, number> } {
  const groupBy = options.groupBy ?? ((item: T) => defaultPatientId(item));
  const where = new Map<string, { sets: Set<SplitName>; items: number }>();
  for (const name of SPLIT_NAMES) {
    for (const item of split[name]) {
      const key = groupBy(item);
      if (key === undefined || key === '') continue;
      let e = where.get(key);
      if (!e) where.set(key, (e = { sets: new Set(), items: 0 }));
      e.sets.add(name);
      e.items++;
    }
  }
  const leakage: LeakageEntry[] = [];
  for (const [group, e] of [...where].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (e.sets.size > 1)
      leakage.push({ group, sets: SPLIT_NAMES.filter((n) => e.sets.has(n)), items: e.items });
  }
  return {
    leakage,
    sizes: { train: split.train.length, validation: split.validation.length, test: split.test.length },
  };
}
