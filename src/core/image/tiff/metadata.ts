/**
 * TIFF metadata that voxmark understands: OME-XML, ImageJ's ImageDescription, and the resolution tags.
 * Parsed with plain string scanning so that it runs in workers and without a DOM.
 */

/** The parts of an OME-XML `<Pixels>` element voxmark uses. Physical sizes are in their own units. */
export interface OmePixels {
  dimensionOrder: string;
  sizeX: number;
  sizeY: number;
  sizeZ: number;
  sizeC: number;
  sizeT: number;
  type?: string;
  physicalSizeX?: number;
  physicalSizeXUnit: string;
  physicalSizeY?: number;
  physicalSizeYUnit: string;
  physicalSizeZ?: number;
  physicalSizeZUnit: string;
  /** Number of <Image> elements (series) in the file; voxmark reads the first. */
  imageCount: number;
}

/** Parses the first <Pixels> element of an OME-XML document, or returns undefined. */
export function parseOmeXml(xml: string): OmePixels | undefined {
  if (!/<(\w+:)?OME[\s>]/.test(xml)) return undefined;
  const m = /<(?:\w+:)?Pixels\s([^>]*)>/.exec(xml);
  if (!m) return undefined;
  const attrs = parseAttributes(m[1]!);
  const int = (name: string, fallback: number) => {
    const v = Number(attrs[name]);
    return Number.isInteger(v) && v > 0 ? v : fallback;
  };
  const num = (name: string) => {
    const v = Number(attrs[name]);
    return attrs[name] !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;
  };
  const imageCount = (xml.match(/<(?:\w+:)?Image[\s>]/g) ?? []).length;
  const pixels: OmePixels = {
    dimensionOrder: /^XY[ZCT]{3}$/.test(attrs.DimensionOrder ?? '') ? attrs.DimensionOrder! : 'XYZCT',
    sizeX: int('SizeX', 0),
    sizeY: int('SizeY', 0),
    sizeZ: int('SizeZ', 1),
    sizeC: int('SizeC', 1),
    sizeT: int('SizeT', 1),
    physicalSizeXUnit: attrs.PhysicalSizeXUnit ?? 'µm',
    physicalSizeYUnit: attrs.PhysicalSizeYUnit ?? 'µm',
    physicalSizeZUnit: attrs.PhysicalSizeZUnit ?? 'µm',
    imageCount: Math.max(1, imageCount),
  };
  if (attrs.Type) pixels.type = attrs.Type;
  const x = num('PhysicalSizeX');
  const y = num('PhysicalSizeY');
  const z = num('PhysicalSizeZ');
  if (x !== undefined) pixels.physicalSizeX = x;
  if (y !== undefined) pixels.physicalSizeY = y;
  if (z !== undefined) pixels.physicalSizeZ = z;
  return pixels;
}

function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const name = m[1]!.replace(/^\w+:/, '');
    out[name] = decodeXmlEntities(m[3] ?? m[4] ?? '');
  }
  return out;
}

function decodeXmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (all, e: string) => {
    const lower = e.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/** What voxmark reads from an ImageJ ImageDescription. */
export interface ImageJInfo {
  version: string;
  images?: number;
  channels?: number;
  slices?: number;
  frames?: number;
  unit?: string;
  spacing?: number;
  min?: number;
  max?: number;
  /** Calibration function 0 (straight line): value = c0 + c1 × stored. */
  calibration?: { intercept: number; slope: number; unit?: string };
}

/** Parses ImageJ's `ImageJ=…` ImageDescription (key=value lines), or returns undefined. */
export function parseImageJDescription(text: string): ImageJInfo | undefined {
  if (!text.startsWith('ImageJ=')) return undefined;
  const kv = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const num = (k: string) => {
    const v = kv.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const count = (k: string) => {
    const n = num(k);
    return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const info: ImageJInfo = { version: kv.get('ImageJ') ?? '' };
  const set = <K extends keyof ImageJInfo>(key: K, value: ImageJInfo[K] | undefined) => {
    if (value !== undefined) info[key] = value;
  };
  set('images', count('images'));
  set('channels', count('channels'));
  set('slices', count('slices'));
  set('frames', count('frames'));
  const unit = kv.get('unit');
  if (unit) set('unit', unescapeImageJ(unit));
  const spacing = num('spacing');
  if (spacing !== undefined && spacing > 0) set('spacing', spacing);
  set('min', num('min'));
  set('max', num('max'));
  const c0 = num('c0');
  const c1 = num('c1');
  if (kv.get('cf') === '0' && c0 !== undefined && c1 !== undefined && c1 !== 0) {
    const vunit = kv.get('vunit');
    info.calibration = { intercept: c0, slope: c1, ...(vunit ? { unit: unescapeImageJ(vunit) } : {}) };
  }
  return info;
}

/** ImageJ writes non-ASCII units as \uXXXX escapes. */
function unescapeImageJ(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Metres per unit for the length units OME, ImageJ and TIFF use. */
const METRES: Record<string, number> = {
  m: 1,
  dm: 1e-1,
  cm: 1e-2,
  mm: 1e-3,
  µm: 1e-6,
  nm: 1e-9,
  pm: 1e-12,
  Å: 1e-10,
  inch: 0.0254,
  ft: 0.3048,
};

/** Normalises the spelling of a length unit ('micron', 'um', 'μm' → 'µm'; 'in' → 'inch'). */
export function normaliseUnit(unit: string | undefined): string | undefined {
  if (!unit) return undefined;
  const u = unit.trim();
  const lower = u.toLowerCase();
  if (['µm', 'μm', 'um', 'micron', 'microns', 'micrometer', 'micrometre'].includes(lower)) return 'µm';
  if (['in', 'inch', 'inches'].includes(lower)) return 'inch';
  if (['a', 'å', 'angstrom'].includes(lower) || u === 'Å') return 'Å';
  if (['nm', 'mm', 'cm', 'dm', 'm', 'pm', 'ft'].includes(lower)) return lower;
  if (['pixel', 'pixels', 'px'].includes(lower)) return 'pixel';
  return u;
}

/** Converts `value` from one length unit to another; undefined when either unit is unknown. */
export function convertLength(value: number, from: string, to: string): number | undefined {
  const f = normaliseUnit(from);
  const t = normaliseUnit(to);
  if (f === t) return value;
  const a = f ? METRES[f] : undefined;
  const b = t ? METRES[t] : undefined;
  if (a === undefined || b === undefined) return undefined;
  return (value * a) / b;
}

/** The physical pixel size of a stack, its unit and where it came from. */
export interface SpacingResult {
  spacing: [number, number, number];
  unit: string;
  source: 'ome' | 'imagej' | 'resolution' | 'none';
  /** Whether the z step came from the file (else it is 1). */
  zKnown: boolean;
}

/** What `resolveSpacing` looks at, from the first page. */
export interface SpacingInputs {
  ome?: OmePixels;
  imagej?: ImageJInfo;
  /** XResolution and YResolution: pixels per resolution unit. */
  xResolution?: number;
  yResolution?: number;
  /** 1 none, 2 inch, 3 centimetre (TIFF 6.0). */
  resolutionUnit: number;
}

/**
 * Works out the physical pixel size. OME-XML wins, then ImageJ (XResolution/YResolution in its `unit`,
 * `spacing` for z), then the resolution tags (inch and centimetre converted to millimetres). Without any of
 * them the spacing is [1, 1, 1] in 'pixel'. All three values are given in one unit.
 */
export function resolveSpacing(inp: SpacingInputs): SpacingResult {
  const ome = inp.ome;
  if (ome?.physicalSizeX !== undefined || ome?.physicalSizeY !== undefined) {
    const unit = normaliseUnit(ome.physicalSizeXUnit) ?? 'µm';
    const x = ome.physicalSizeX ?? convertLength(ome.physicalSizeY!, ome.physicalSizeYUnit, unit)!;
    const y =
      ome.physicalSizeY === undefined
        ? x
        : (convertLength(ome.physicalSizeY, ome.physicalSizeYUnit, unit) ?? ome.physicalSizeY);
    const z =
      ome.physicalSizeZ === undefined
        ? undefined
        : (convertLength(ome.physicalSizeZ, ome.physicalSizeZUnit, unit) ?? ome.physicalSizeZ);
    return { spacing: [x, y, z ?? 1], unit, source: 'ome', zKnown: z !== undefined };
  }
  const valid = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;
  const ij = inp.imagej;
  if (ij && (valid(inp.xResolution) || ij.spacing !== undefined || ij.unit)) {
    const unit = normaliseUnit(ij.unit) ?? 'pixel';
    const x = valid(inp.xResolution) ? 1 / inp.xResolution : 1;
    const y = valid(inp.yResolution) ? 1 / inp.yResolution : x;
    return {
      spacing: [x, y, ij.spacing ?? 1],
      unit,
      source: 'imagej',
      zKnown: ij.spacing !== undefined,
    };
  }
  if (valid(inp.xResolution) && (inp.resolutionUnit === 2 || inp.resolutionUnit === 3)) {
    const perUnitMm = inp.resolutionUnit === 2 ? 25.4 : 10;
    const x = perUnitMm / inp.xResolution;
    const y = valid(inp.yResolution) ? perUnitMm / inp.yResolution : x;
    return { spacing: [x, y, 1], unit: 'mm', source: 'resolution', zKnown: false };
  }
  if (valid(inp.xResolution) && valid(inp.yResolution) && inp.resolutionUnit === 1) {
    // No unit: only the aspect ratio is known.
    return {
      spacing: [1, inp.xResolution / inp.yResolution, 1],
      unit: 'pixel',
      source: 'resolution',
      zKnown: false,
    };
  }
  return { spacing: [1, 1, 1], unit: 'pixel', source: 'none', zKnown: false };
}

/**
 * Which pages hold a z (or time) series of channel 0, given the dimension order and sizes: OME DimensionOrder
 * ('XYZCT' and so on, first letter after XY varies fastest) or ImageJ's fixed channel-slice-frame order ('XYCZT').
 * Returns the page indices in display order.
 */
export function seriesPages(
  order: string,
  sizes: { Z: number; C: number; T: number },
  pageCount: number,
): { pages: number[]; axis: 'Z' | 'T' } | undefined {
  const dims = order.slice(2).split('') as ('Z' | 'C' | 'T')[];
  if (dims.length !== 3) return undefined;
  const total = sizes.Z * sizes.C * sizes.T;
  if (total !== pageCount || total <= 1) return undefined;
  const stride: Record<'Z' | 'C' | 'T', number> = { Z: 0, C: 0, T: 0 };
  let s = 1;
  for (const d of dims) {
    stride[d] = s;
    s *= sizes[d];
  }
  const axis = sizes.Z > 1 ? 'Z' : 'T';
  const pages: number[] = [];
  for (let i = 0; i < sizes[axis]; i++) pages.push(i * stride[axis]);
  return { pages, axis };
}
