/**
 * VR lookup for DICOM data elements, from the PS3.6 registry (generated into dictionary.generated.ts by
 * scripts/generate-dicom-dictionary.mjs). Needed wherever a dataset arrives without VRs (implicit VR little
 * endian) and has to be re-emitted with them.
 */
import { REPEATING_TAGS, TAGS_BY_VR } from './dictionary.generated.js';
import type { Vr } from './tags.js';

let exact: Map<number, string> | undefined;
let repeating: { mask: number; value: number; vr: string }[] | undefined;

function build(): void {
  exact = new Map();
  for (const [vr, tags] of Object.entries(TAGS_BY_VR)) {
    for (const t of tags.split(' ')) exact.set(parseInt(t, 16) >>> 0, vr);
  }
  repeating = REPEATING_TAGS.map(([pattern, vr]) => {
    let mask = 0;
    let value = 0;
    for (let i = 0; i < 8; i++) {
      const c = pattern[i]!;
      mask = (mask << 4) | (c === 'x' ? 0 : 0xf);
      value = (value << 4) | (c === 'x' ? 0 : parseInt(c, 16));
    }
    return { mask: mask >>> 0, value: value >>> 0, vr };
  });
}

/**
 * The registered VR of a tag as PS3.6 gives it: one VR such as `'DA'`, or alternatives joined by `|`
 * (`'OB|OW'`, `'US|SS'`). Group lengths (gggg,0000) are `'UL'`; private creators (odd group, element
 * 0x0010–0x00FF) are `'LO'`. Undefined for private data elements and for tags the registry does not know.
 */
export function registeredVr(tag: number): string | undefined {
  if (!exact) build();
  const t = tag >>> 0;
  const found = exact!.get(t);
  if (found) return found;
  const group = t >>> 16;
  const element = t & 0xffff;
  if (element === 0) return 'UL';
  if (group & 1) return element >= 0x0010 && element <= 0x00ff ? 'LO' : undefined;
  for (const r of repeating!) if ((t & r.mask) >>> 0 === r.value) return r.vr;
  return undefined;
}

/** What the choice between alternative VRs may depend on. */
export interface VrContext {
  /** (0028,0103) of the dataset: picks SS over US for "US or SS". */
  pixelRepresentation?: number;
  /** Value length in bytes: values longer than a 16-bit length allows pick OW over US. */
  length?: number;
}

/**
 * The VR to write for a tag read without one: the registered VR, with alternatives resolved (`OB|OW` -> OW,
 * as PS3.5 A.1 prescribes for implicit VR; `US|SS` -> SS when Pixel Representation is 1; `US|OW` -> OW when
 * the value is too long for US), and `UN` for anything unknown.
 */
export function implicitVr(tag: number, context: VrContext = {}): Vr {
  const vr = registeredVr(tag);
  if (!vr) return 'UN';
  if (!vr.includes('|')) return vr as Vr;
  const options = vr.split('|') as Vr[];
  if (options.includes('OW') && (options.includes('OB') || (context.length ?? 0) > 0xfffe)) return 'OW';
  if (options.includes('SS') && context.pixelRepresentation === 1) return 'SS';
  return options[0]!;
}
