/**
 * Table E.1-1 as a lookup, and the choice of one action per attribute.
 *
 * ## Which action applies
 * 1. Options first. For every option the host enabled whose column has an entry on the row: a K from any of
 *    them keeps the attribute; otherwise a C from any of them cleans it (K wins over C: an option that
 *    retains is never overridden by one that cleans).
 * 2. Otherwise the Basic Profile action. A combined action picks the least destructive choice that keeps the
 *    object conformant whatever the attribute's type in its IOD, since the type is not known here:
 *    - an attribute outside every standard composite IOD (the table's Std. Comp. IOD = N) is removed (X):
 *      no IOD needs it;
 *    - otherwise D if allowed (satisfies Type 1, 2 and 3), else Z (Type 2 and 3), else X. `X/Z/U*` keeps
 *      the sequence and replaces the UIDs inside it (U), which keeps references usable.
 */
import { DEID_RULES } from './rules.generated.js';
import type { DeidAction, DeidOptionColumn, DeidRule, DeidentifyOptions } from './types.js';

/** A single action, after resolving combinations and options. */
export type ResolvedAction = 'X' | 'Z' | 'D' | 'U' | 'K' | 'C';

let exact: Map<number, DeidRule> | undefined;
let masked: { mask: number; value: number; rule: DeidRule }[] | undefined;
let privateRule: DeidRule | undefined;

function build(): void {
  exact = new Map();
  masked = [];
  for (const rule of DEID_RULES) {
    if (rule.tag === 'private') {
      privateRule = rule;
      continue;
    }
    if (!rule.tag.includes('x')) {
      exact.set(parseInt(rule.tag, 16) >>> 0, rule);
      continue;
    }
    let mask = 0;
    let value = 0;
    for (let i = 0; i < 8; i++) {
      const c = rule.tag[i]!;
      mask = (mask << 4) | (c === 'x' ? 0 : 0xf);
      value = (value << 4) | (c === 'x' ? 0 : parseInt(c, 16));
    }
    masked.push({ mask: mask >>> 0, value: value >>> 0, rule });
  }
}

/** The Table E.1-1 row for a tag, if any. Wildcard rows such as (60xx,3000) match by mask; only even groups. */
export function ruleFor(tag: number): DeidRule | undefined {
  if (!exact) build();
  const t = tag >>> 0;
  const found = exact!.get(t);
  if (found) return found;
  if ((t >>> 16) & 1) return privateRule;
  for (const m of masked!) {
    if ((t & m.mask) >>> 0 === m.value) {
      // Repeating groups (50xx, 60xx) are the even groups 0x..00–0x..1E only (PS3.5 7.6).
      const groupLowWild = ((m.mask >>> 16) & 0xff) === 0;
      const low = (t >>> 16) & 0xff;
      if (!groupLowWild || (low <= 0x1e && (low & 1) === 0)) return m.rule;
    }
  }
  return undefined;
}

/** The private-attributes row. */
export function privateAttributesRule(): DeidRule {
  if (!exact) build();
  return privateRule!;
}

/** The number of rows the rules were generated from. */
export const RULE_COUNT = DEID_RULES.length;

/** The option columns the host enabled. */
export function activeColumns(options: DeidentifyOptions): DeidOptionColumn[] {
  const columns: DeidOptionColumn[] = [];
  if (options.retainLongitudinalTemporalInformation === 'full') columns.push('rtnLongFullDatesOpt');
  if (options.retainLongitudinalTemporalInformation === 'modified') columns.push('rtnLongModifDatesOpt');
  if (options.retainUIDs) columns.push('rtnUIDsOpt');
  if (options.retainDeviceIdentity) columns.push('rtnDevIdOpt');
  if (options.retainInstitutionIdentity) columns.push('rtnInstIdOpt');
  if (options.retainPatientCharacteristics) columns.push('rtnPatCharsOpt');
  if (options.retainSafePrivate) columns.push('rtnSafePrivOpt');
  if (options.cleanDescriptors) columns.push('cleanDescOpt');
  if (options.cleanStructuredContent) columns.push('cleanStructContOpt');
  if (options.cleanGraphics) columns.push('cleanGraphOpt');
  return columns;
}

/** The one action for a row under the enabled options, and the option column that decided it, if any. */
export function resolveAction(
  rule: DeidRule,
  columns: readonly DeidOptionColumn[],
): { action: ResolvedAction; column?: DeidOptionColumn } {
  let clean: DeidOptionColumn | undefined;
  for (const column of columns) {
    const a = rule[column];
    if (a === 'K') return { action: 'K', column };
    if (a === 'C' && clean === undefined) clean = column;
  }
  if (clean) return { action: 'C', column: clean };
  return { action: basicAction(rule) };
}

/** The Basic Profile action of a row, combinations resolved as described at the top of this module. */
export function basicAction(rule: Pick<DeidRule, 'basic' | 'inStdIOD'>): ResolvedAction {
  const a: DeidAction = rule.basic;
  if (!a.includes('/')) return a as ResolvedAction;
  const choices = a.split('/');
  if (!rule.inStdIOD && choices.includes('X')) return 'X';
  if (choices.includes('U*')) return 'U';
  if (choices.includes('D')) return 'D';
  if (choices.includes('Z')) return 'Z';
  return 'X';
}
