import { GeoTIFFImage, fromArrayBuffer, type GeoTIFF, type Pool } from 'geotiff';
import { ErrorCode, VoxmarkError, throwIfAborted, toVoxmarkError } from '../../errors.js';
import { BYTES_PER_SAMPLE, LazyImageStack, checkFrameSize } from '../stack.js';
import type { DataType, Frame, ImageStack, PixelArray, StackMetadata, WindowPreset } from '../types.js';
import { CONSTRUCTORS, assembleFast, canAssembleFast, type FastPathInput } from './assemble.js';
import { decoderProvider, type DecoderProvider } from './decoders.js';
import { Tag, readAscii, readNumber, readNumbers, readTiffLayout, type Ifd, type TiffLayout } from './ifd.js';
import {
  parseImageJDescription,
  parseOmeXml,
  resolveSpacing,
  seriesPages,
  type ImageJInfo,
  type OmePixels,
} from './metadata.js';

export { readTiffLayout, MAX_TIFF_PAGES } from './ifd.js';

/** Options of `loadTiffStack`; `loadImageStack` fills them from its own options. */
export interface TiffLoadOptions {
  signal?: AbortSignal;
  maxFrameBytes: number;
  cacheBytes?: number;
  /**
   * Assemble strips and tiles with typed-array copies where the samples allow it (default). `false` always
   * uses geotiff's own readRasters; the results are identical.
   */
  fastAssembly?: boolean;
}

const COMPRESSION_NAMES: Record<number, string> = {
  1: 'none',
  2: 'CCITT RLE',
  3: 'CCITT Group 3',
  4: 'CCITT Group 4',
  5: 'LZW',
  6: 'old JPEG',
  7: 'JPEG',
  8: 'deflate',
  32946: 'deflate',
  32773: 'PackBits',
  34712: 'JPEG 2000',
  34887: 'LERC',
  50000: 'Zstandard',
  50001: 'WebP',
};
/** Compressions geotiff decodes (LZW and deflate go through voxmark's bounded decoders). */
const SUPPORTED_COMPRESSIONS = new Set([1, 5, 7, 8, 32946, 32773, 34887, 50000, 50001]);

const PHOTOMETRIC_NAMES: Record<number, string> = {
  0: 'MONOCHROME1', // WhiteIsZero
  1: 'MONOCHROME2', // BlackIsZero
  2: 'RGB',
  3: 'PALETTE COLOR',
  5: 'CMYK',
  6: 'YBR_FULL', // YCbCr, delivered as RGB
  8: 'CIELAB',
};

/** Largest expansion accepted from LZW, deflate or PackBits data (deflate's own limit is 1032:1). */
const MAX_EXPANSION = 4096;
/** Frames up to this size skip the expansion check (a blank 4096×4096 16-bit page compresses very well). */
const MIN_RATIO_CHECK_BYTES = 64 * 1024 * 1024;

/** How one page is laid out, read from its IFD without decoding anything. */
interface PageInfo {
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: number[];
  sampleFormat: number[];
  photometric: number;
  compression: number;
  planar: number;
  subfileType: number;
  tiled: boolean;
}

function pageInfo(bytes: Uint8Array, le: boolean, ifd: Ifd): PageInfo {
  const e = ifd.entries;
  const spp = readNumber(bytes, le, e.get(Tag.SamplesPerPixel), 1);
  const bits = readNumbers(bytes, le, e.get(Tag.BitsPerSample), 64) ?? [1];
  const formats = readNumbers(bytes, le, e.get(Tag.SampleFormat), 64) ?? [1];
  const photometric = readNumber(bytes, le, e.get(Tag.Photometric), spp >= 3 ? 2 : 1);
  return {
    width: readNumber(bytes, le, e.get(Tag.ImageWidth), 0),
    height: readNumber(bytes, le, e.get(Tag.ImageLength), 0),
    samplesPerPixel: spp,
    bitsPerSample: bits,
    sampleFormat: formats,
    photometric,
    compression: readNumber(bytes, le, e.get(Tag.Compression), 1),
    planar: readNumber(bytes, le, e.get(Tag.PlanarConfiguration), 1),
    subfileType: readNumber(bytes, le, e.get(Tag.NewSubfileType), 0),
    tiled: e.has(Tag.TileOffsets),
  };
}

function samePixels(a: PageInfo, b: PageInfo): boolean {
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.samplesPerPixel === b.samplesPerPixel &&
    a.photometric === b.photometric &&
    a.bitsPerSample.join() === b.bitsPerSample.join() &&
    a.sampleFormat.join() === b.sampleFormat.join() &&
    (a.subfileType & 1) === (b.subfileType & 1)
  );
}

interface Output {
  mode: 'raster' | 'rgb';
  samples: number[];
  samplesPerPixel: 1 | 3;
  dataType: DataType;
  bits: number;
}

function dataTypeOf(format: number, bits: number): DataType | undefined {
  if (format === 1 || format === 4) {
    if (bits <= 8) return 'uint8';
    if (bits <= 16) return 'uint16';
    if (bits <= 32) return 'uint32';
  } else if (format === 2) {
    if (bits === 8) return 'int8';
    if (bits === 16) return 'int16';
    if (bits === 32) return 'int32';
  } else if (format === 3) {
    if (bits === 16 || bits === 32) return 'float32';
    if (bits === 64) return 'float64';
  }
  return undefined;
}

/** Decides which samples to read and what type the frames have. */
function outputOf(info: PageInfo): Output {
  const bits0 = info.bitsPerSample[0] ?? 1;
  const format0 = info.sampleFormat[0] ?? 1;
  const pi = info.photometric;
  if (pi === 0 || pi === 1 || pi === 4) {
    const dataType = dataTypeOf(format0, bits0);
    if (!dataType) throw unsupportedSamples(format0, bits0);
    return { mode: 'raster', samples: [0], samplesPerPixel: 1, dataType, bits: bits0 };
  }
  if (pi === 2) {
    if (info.samplesPerPixel < 3)
      throw new VoxmarkError(ErrorCode.Corrupt, `RGB TIFF with ${info.samplesPerPixel} samples per pixel`);
    for (let s = 1; s < 3; s++) {
      const b = info.bitsPerSample[s] ?? bits0;
      const f = info.sampleFormat[s] ?? format0;
      if (b !== bits0 || f !== format0)
        throw new VoxmarkError(ErrorCode.Unsupported, 'RGB samples of different sizes or types');
    }
    const dataType = dataTypeOf(format0, bits0);
    if (!dataType) throw unsupportedSamples(format0, bits0);
    return { mode: 'raster', samples: [0, 1, 2], samplesPerPixel: 3, dataType, bits: bits0 };
  }
  if (pi === 3 || pi === 5 || pi === 6 || pi === 8) {
    if (bits0 > 16 || format0 === 3) throw unsupportedSamples(format0, bits0);
    return { mode: 'rgb', samples: [], samplesPerPixel: 3, dataType: 'uint8', bits: 8 };
  }
  throw new VoxmarkError(ErrorCode.Unsupported, `TIFF photometric interpretation ${pi} is not supported`);
}

function unsupportedSamples(format: number, bits: number): VoxmarkError {
  const kind =
    { 1: 'unsigned', 2: 'signed', 3: 'floating-point', 4: 'untyped' }[format] ?? `format ${format}`;
  return new VoxmarkError(ErrorCode.Unsupported, `${bits}-bit ${kind} TIFF samples are not supported`);
}

function storedRange(out: Output, info: PageInfo): [number, number] | undefined {
  const format = info.sampleFormat[0] ?? 1;
  if (out.mode === 'rgb') return [0, 255];
  if (format === 3) return undefined;
  if (format === 2) return [-(2 ** (out.bits - 1)), 2 ** (out.bits - 1) - 1];
  return [0, 2 ** out.bits - 1];
}

/**
 * Reads a TIFF, BigTIFF, OME-TIFF or ImageJ TIFF into an ImageStack whose depth is its page count. Pixels are
 * decoded by geotiff, one page at a time when `getFrame` asks for it. The IFD chain is walked with a visited
 * set and a page limit; sizes are checked against the file and `maxFrameBytes` before anything is allocated.
 * Every failure is a VoxmarkError.
 */
export async function loadTiffStack(bytes: Uint8Array, options: TiffLoadOptions): Promise<ImageStack> {
  try {
    return await load(bytes, options);
  } catch (e) {
    throw toVoxmarkError(e, ErrorCode.Corrupt, 'Could not read the TIFF');
  }
}

/** What every phase of a TIFF load shares: the file, its IFDs, page 0's format and the pages of the stack. */
interface TiffFile {
  bytes: Uint8Array;
  le: boolean;
  layout: ReturnType<typeof readTiffLayout>;
  /** Page info by IFD index, read once. */
  info: (i: number) => PageInfo;
  first: PageInfo;
  out: Output;
  frameBytes: number;
}

/** The ImageJ / OME descriptions of page 0, which name the stack's pages, spacing and calibration. */
interface Descriptions {
  description?: string;
  ome?: ReturnType<typeof parseOmeXml>;
  imagej?: ReturnType<typeof parseImageJDescription>;
}

/** A TIFF load, in phases: layout and page 0, descriptions, pages and spacing, metadata, then lazy decoding. */
async function load(bytes: Uint8Array, options: TiffLoadOptions): Promise<ImageStack> {
  throwIfAborted(options.signal);
  const file = readFirstPage(bytes, options);
  const { bytes: b, le, layout, info, first, out } = file;
  const e0 = layout.ifds[0]!.entries;
  const texts = readDescriptions(b, e0);
  const { ome, imagej } = texts;
  const { pages, pageRule } = selectPages(layout, info, ome, imagej);
  const spacing = resolveSpacing({
    ...(ome ? { ome } : {}),
    ...(imagej ? { imagej } : {}),
    ...optional('xResolution', readNumbers(b, le, e0.get(Tag.XResolution), 1)?.[0]),
    ...optional('yResolution', readNumbers(b, le, e0.get(Tag.YResolution), 1)?.[0]),
    resolutionUnit: readNumber(b, le, e0.get(Tag.ResolutionUnit), 2),
  });
  const rescale = { slope: imagej?.calibration?.slope ?? 1, intercept: imagej?.calibration?.intercept ?? 0 };
  const metadata = tiffMetadata(file, texts, { pages, pageRule }, spacing);
  const windowPresets = presetsOf(b, le, layout.ifds[0]!, imagej, out, rescale.slope, rescale.intercept);
  const tiff = await openGeoTiff(b);
  // Page 0 must be decodable: an unsupported compression or a cut-short strip table rejects the file now.
  checkBlocks(b, le, layout.ifds[pages[0]!]!, info(pages[0]!), pages[0]!, file.frameBytes);
  const decodePage = pageDecoder(file, tiff, rescale, options);
  return new LazyImageStack({
    format: 'tiff',
    width: first.width,
    height: first.height,
    samplesPerPixel: out.samplesPerPixel,
    dataType: out.dataType,
    spacing: spacing.spacing,
    windowPresets,
    slices: pages.map((page) => ({ page })),
    metadata,
    decode: (index, signal) => decodePage(pages[index]!, signal),
    ...(options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes }),
  });
}

/** The IFD layout and page 0: its size, planar configuration and output format, checked before any allocation. */
function readFirstPage(bytes: Uint8Array, options: TiffLoadOptions): TiffFile {
  const layout = readTiffLayout(bytes);
  const le = layout.littleEndian;
  const infos = new Map<number, PageInfo>();
  const info = (i: number) => {
    let p = infos.get(i);
    if (!p) {
      p = pageInfo(bytes, le, layout.ifds[i]!);
      infos.set(i, p);
    }
    return p;
  };
  const first = info(0);
  if (first.width <= 0 || first.height <= 0)
    throw new VoxmarkError(ErrorCode.Corrupt, `Invalid TIFF image size ${first.width}×${first.height}`);
  if (first.planar !== 1 && first.planar !== 2)
    throw new VoxmarkError(ErrorCode.Corrupt, `Invalid planar configuration ${first.planar}`);
  const out = outputOf(first);
  const frameBytes = checkFrameSize(
    first.width,
    first.height,
    out.samplesPerPixel,
    BYTES_PER_SAMPLE[out.dataType],
    options.maxFrameBytes,
  );
  return { bytes, le, layout, info, first, out, frameBytes };
}

function readDescriptions(
  bytes: Uint8Array,
  e0: TiffFile['layout']['ifds'][number]['entries'],
): Descriptions {
  const description = readAscii(bytes, e0.get(Tag.ImageDescription));
  if (!description) return {};
  const ome = parseOmeXml(description);
  if (ome) return { description, ome };
  const imagej = parseImageJDescription(description);
  return imagej ? { description, imagej } : { description };
}

/** The stack metadata: page 0's format, the pages chosen and why, spacing, and the descriptions. */
function tiffMetadata(
  file: TiffFile,
  texts: Descriptions,
  selection: { pages: number[]; pageRule: ReturnType<typeof selectPages>['pageRule'] },
  spacing: ReturnType<typeof resolveSpacing>,
): StackMetadata {
  const { bytes, le, layout, first, out } = file;
  const { description, ome, imagej } = texts;
  const metadata: StackMetadata = {
    photometricInterpretation: PHOTOMETRIC_NAMES[first.photometric] ?? String(first.photometric),
    tiffPhotometric: first.photometric,
    compression: COMPRESSION_NAMES[first.compression] ?? String(first.compression),
    compressionCode: first.compression,
    pageCount: layout.ifds.length,
    pages: selection.pages,
    pageRule: selection.pageRule,
    bitsPerSample: first.bitsPerSample[0],
    bitsStored: out.bits,
    samplesInFile: first.samplesPerPixel,
    planarConfiguration: first.planar,
    tiled: first.tiled,
    littleEndian: le,
    bigTiff: layout.bigTiff,
    spacingUnit: spacing.unit,
    spacingSource: spacing.source,
    sliceSpacingKnown: spacing.zKnown,
  };
  if (first.sampleFormat[0] === 2) metadata.pixelRepresentation = 1;
  const range = storedRange(out, first);
  if (range) metadata.storedRange = range;
  if (layout.truncatedChain) metadata.ifdChainCut = layout.truncatedChain;
  if (ome) metadata.ome = ome;
  if (imagej) metadata.imagej = imagej;
  if (imagej?.calibration?.unit) metadata.valueUnit = imagej.calibration.unit;
  if (description && !ome) metadata.imageDescription = description.slice(0, 4096);
  const software = readAscii(bytes, layout.ifds[0]!.entries.get(Tag.Software), 1024);
  if (software) metadata.software = software;
  return metadata;
}

/** geotiff's view of the file, reading from the file's own buffer when the view covers all of it. */
async function openGeoTiff(bytes: Uint8Array): Promise<GeoTIFF> {
  const buffer =
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
      ? bytes.buffer
      : bytes.slice().buffer;
  let tiff: GeoTIFF;
  try {
    tiff = await fromArrayBuffer(buffer);
  } catch (e) {
    throw toVoxmarkError(e, ErrorCode.Corrupt, 'geotiff could not open the TIFF');
  }
  // geotiff 3.0.5 reads deferred tag arrays as little-endian whatever the file's byte order: parse every tag
  // eagerly so that big-endian strip offsets and byte counts come out right.
  tiff.parser.eager = true;
  return tiff;
}

/** Decodes one page on request: blocks checked, pixels read (fast assembly where it applies), then checked. */
function pageDecoder(
  file: TiffFile,
  tiff: GeoTIFF,
  rescale: { slope: number; intercept: number },
  options: TiffLoadOptions,
): (page: number, signal: AbortSignal | undefined) => Promise<Frame> {
  const { first, out, le } = file;
  return async (page, signal) => {
    throwIfAborted(signal);
    const pi = file.info(page);
    checkBlocks(file.bytes, le, file.layout.ifds[page]!, pi, page, file.frameBytes);
    let data: PixelArray;
    try {
      data = await readPagePixels(file, tiff, page, options, signal);
    } catch (e) {
      if (e instanceof VoxmarkError) throw e;
      throw toVoxmarkError(e, ErrorCode.Corrupt, `Could not decode TIFF page ${page}`);
    }
    throwIfAborted(signal);
    const expected = first.width * first.height * out.samplesPerPixel;
    data = asDataType(data, out.dataType);
    if (!le && out.mode === 'raster' && out.bits > 8 && out.bits % 8 !== 0) {
      // geotiff 3.0.5 unpacks 9–31-bit samples into host-order arrays, then reads them back in the file's byte
      // order: on big-endian files every value comes out byte-swapped. Swap them back.
      swapElements(data);
    }
    if (data.length !== expected) {
      throw new VoxmarkError(
        ErrorCode.Corrupt,
        `TIFF page ${page} decoded to ${data.length} samples, expected ${expected}`,
      );
    }
    return {
      width: first.width,
      height: first.height,
      samplesPerPixel: out.samplesPerPixel,
      data,
      rescaleSlope: rescale.slope,
      rescaleIntercept: rescale.intercept,
    };
  };
}

/** A page's pixels through geotiff: RGB conversion, voxmark's fast strip/tile assembly, or readRasters. */
async function readPagePixels(
  file: TiffFile,
  tiff: GeoTIFF,
  page: number,
  options: TiffLoadOptions,
  signal: AbortSignal | undefined,
): Promise<PixelArray> {
  const { bytes, le, out } = file;
  const ifd = file.layout.ifds[page]!;
  const pi = file.info(page);
  // Pages of one stack share their pixel format but may differ in strips, tiles and compression.
  const provider = decoderProvider(pi.samplesPerPixel, le, {
    height: pi.height,
    tiled: pi.tiled,
  }) as unknown as Pool;
  const fileDirectory = await tiff.parser.parseFileDirectoryAt(ifd.offset);
  throwIfAborted(signal);
  const image = new GeoTIFFImage(fileDirectory, le, false, tiff.source);
  const fast: FastPathInput = {
    width: pi.width,
    height: pi.height,
    samplesPerPixel: pi.samplesPerPixel,
    samples: out.samples,
    bitsPerSample: pi.bitsPerSample,
    sampleFormat: pi.sampleFormat,
    planar: pi.planar,
    compression: pi.compression,
    predictor: readNumber(bytes, le, ifd.entries.get(Tag.Predictor), 1),
    littleEndian: le,
    dataType: out.dataType,
  };
  const read =
    out.mode === 'rgb'
      ? image.readRGB({ interleave: true, pool: provider, ...(signal ? { signal } : {}) })
      : options.fastAssembly !== false && canAssembleFast(fast)
        ? assembleFast(image, fast, provider as unknown as DecoderProvider, signal)
        : image.readRasters({
            interleave: true,
            samples: [...out.samples],
            pool: provider,
            ...(signal ? { signal } : {}),
          });
  return (await abortable(read, signal)) as PixelArray;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/**
 * Which pages make the stack. OME-XML and ImageJ hyperstacks name their dimension order: voxmark takes
 * channel 0 (and time point 0) of the z series, or the time series when there is a single z. Otherwise the
 * stack is the first run of consecutive pages whose size, samples and type match page 0; later pages (a
 * thumbnail, a reduced-resolution copy, another series) are left out and listed in metadata.
 */
function selectPages(
  layout: TiffLayout,
  info: (i: number) => PageInfo,
  ome: OmePixels | undefined,
  imagej: ImageJInfo | undefined,
): { pages: number[]; pageRule: string } {
  const count = layout.ifds.length;
  const first = info(0);
  let mapped: { pages: number[]; axis: 'Z' | 'T' } | undefined;
  let rule = '';
  if (ome && ome.sizeX === first.width && ome.sizeY === first.height) {
    // An interleaved RGB OME image has SizeC = 3 on one page per plane.
    const c = first.samplesPerPixel > 1 && ome.sizeC === first.samplesPerPixel ? 1 : ome.sizeC;
    mapped = seriesPages(ome.dimensionOrder, { Z: ome.sizeZ, C: c, T: ome.sizeT }, count);
    rule = `ome:${ome.dimensionOrder}`;
  } else if (imagej && (imagej.channels ?? 1) * (imagej.slices ?? 1) * (imagej.frames ?? 1) > 1) {
    mapped = seriesPages(
      'XYCZT',
      { Z: imagej.slices ?? 1, C: imagej.channels ?? 1, T: imagej.frames ?? 1 },
      count,
    );
    rule = 'imagej:XYCZT';
  }
  if (mapped && mapped.pages.every((p) => samePixels(info(p), first))) {
    return { pages: mapped.pages, pageRule: `${rule}, channel 0, ${mapped.axis} series` };
  }
  const pages = [0];
  for (let i = 1; i < count; i++) {
    if (!samePixels(info(i), first)) break;
    pages.push(i);
  }
  return {
    pages,
    pageRule: pages.length === count ? 'all pages' : `first ${pages.length} matching pages of ${count}`,
  };
}

/** How a page is cut into blocks: tiles, or full-width strips of RowsPerStrip rows. */
interface BlockGrid {
  blockW: number;
  blockH: number;
  blocksAcross: number;
  blocksDown: number;
}

/**
 * Checks a page's strip or tile table against the file before geotiff reads it: the right number of blocks,
 * every block inside the file, a plausible expansion for compressed data, and for uncompressed data enough
 * bytes for the whole page.
 */
function checkBlocks(
  bytes: Uint8Array,
  le: boolean,
  ifd: Ifd,
  info: PageInfo,
  page: number,
  frameBytes: number,
): void {
  const e = ifd.entries;
  const offsetsEntry = info.tiled ? e.get(Tag.TileOffsets) : e.get(Tag.StripOffsets);
  const countsEntry = info.tiled ? e.get(Tag.TileByteCounts) : e.get(Tag.StripByteCounts);
  if (!offsetsEntry || !countsEntry) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `TIFF page ${page} has no ${info.tiled ? 'tile' : 'strip'} offsets or byte counts`,
    );
  }
  if (!SUPPORTED_COMPRESSIONS.has(info.compression)) {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      `TIFF compression ${COMPRESSION_NAMES[info.compression] ?? info.compression} is not supported`,
    );
  }
  const grid = blockGrid(bytes, le, ifd, info, page);
  const planes = info.planar === 2 ? info.samplesPerPixel : 1;
  const needed = grid.blocksAcross * grid.blocksDown * planes;
  if (offsetsEntry.count < needed || countsEntry.count < needed) {
    throw new VoxmarkError(
      ErrorCode.Corrupt,
      `TIFF page ${page} lists ${Math.min(offsetsEntry.count, countsEntry.count)} blocks, needs ${needed}`,
    );
  }
  const offsets = readNumbers(bytes, le, offsetsEntry, needed)!;
  const counts = readNumbers(bytes, le, countsEntry, needed)!;
  const total = checkBlockExtents(offsets, counts, needed, bytes.byteLength, page);
  checkExpansion(info, page, frameBytes, total);
  if (info.compression === 1) checkUncompressedSize(info, grid, planes, page, total);
}

function blockGrid(bytes: Uint8Array, le: boolean, ifd: Ifd, info: PageInfo, page: number): BlockGrid {
  const e = ifd.entries;
  if (info.tiled) {
    const blockW = readNumber(bytes, le, e.get(Tag.TileWidth), 0);
    const blockH = readNumber(bytes, le, e.get(Tag.TileLength), 0);
    // Tiles may overhang the image, but not absurdly: a tile holds at most 4× the image or 4 Mpixels.
    if (blockW <= 0 || blockH <= 0 || blockW * blockH > Math.max(4 * info.width * info.height, 1 << 22))
      throw new VoxmarkError(
        ErrorCode.Corrupt,
        `TIFF page ${page} has an invalid tile size ${blockW}×${blockH}`,
      );
    return {
      blockW,
      blockH,
      blocksAcross: Math.ceil(info.width / blockW),
      blocksDown: Math.ceil(info.height / blockH),
    };
  }
  const blockH = Math.min(
    readNumber(bytes, le, e.get(Tag.RowsPerStrip), info.height) || info.height,
    info.height,
  );
  return { blockW: info.width, blockH, blocksAcross: 1, blocksDown: Math.ceil(info.height / blockH) };
}

/** Every block inside the file; returns their total size. */
function checkBlockExtents(
  offsets: ArrayLike<number>,
  counts: ArrayLike<number>,
  needed: number,
  fileLength: number,
  page: number,
): number {
  let total = 0;
  for (let i = 0; i < needed; i++) {
    const o = offsets[i]!;
    const c = counts[i]!;
    if (c > 0 && o + c > fileLength) {
      throw new VoxmarkError(
        ErrorCode.Truncated,
        `TIFF page ${page}: block ${i} (${c} bytes at ${o}) runs past the end of the ${fileLength}-byte file`,
      );
    }
    total += c;
  }
  return total;
}

/**
 * LZW, deflate and PackBits expand at most about a thousandfold: a page that claims far more pixels than its
 * compressed bytes can hold has a corrupt size, and must not make us allocate for it.
 */
function checkExpansion(info: PageInfo, page: number, frameBytes: number, total: number): void {
  if (
    (info.compression === 5 ||
      info.compression === 8 ||
      info.compression === 32946 ||
      info.compression === 32773) &&
    frameBytes > MIN_RATIO_CHECK_BYTES &&
    frameBytes > total * MAX_EXPANSION
  ) {
    throw new VoxmarkError(
      ErrorCode.TooLarge,
      `TIFF page ${page} claims ${frameBytes} bytes of pixels from ${total} compressed bytes`,
    );
  }
}

/** Uncompressed blocks hold every row of the page (tiles are always whole; the last strip may be short). */
function checkUncompressedSize(
  info: PageInfo,
  grid: BlockGrid,
  planes: number,
  page: number,
  total: number,
): void {
  const bitsPerPixel =
    info.planar === 2
      ? (info.bitsPerSample[0] ?? 8)
      : info.bitsPerSample.length >= info.samplesPerPixel
        ? info.bitsPerSample.slice(0, info.samplesPerPixel).reduce((a, b) => a + b, 0)
        : (info.bitsPerSample[0] ?? 8) * info.samplesPerPixel;
  const rowBytes = Math.ceil((grid.blockW * bitsPerPixel) / 8);
  const rows = info.tiled ? grid.blocksDown * grid.blockH : info.height;
  const expected = rowBytes * rows * grid.blocksAcross * planes;
  if (total < expected) {
    throw new VoxmarkError(
      ErrorCode.Truncated,
      `TIFF page ${page} holds ${total} bytes of uncompressed pixels, needs ${expected}`,
    );
  }
}

function presetsOf(
  bytes: Uint8Array,
  le: boolean,
  ifd: Ifd,
  imagej: ImageJInfo | undefined,
  out: Output,
  slope: number,
  intercept: number,
): WindowPreset[] {
  const presets: WindowPreset[] = [];
  const add = (name: string, lo: number, hi: number) => {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return;
    const a = lo * slope + intercept;
    const b = hi * slope + intercept;
    presets.push({ name, center: (a + b) / 2, width: Math.abs(b - a) });
  };
  if (out.samplesPerPixel !== 1) return presets;
  if (imagej?.min !== undefined && imagej.max !== undefined)
    add('ImageJ display range', imagej.min, imagej.max);
  const smin = readNumbers(bytes, le, ifd.entries.get(Tag.SMinSampleValue), 1)?.[0];
  const smax = readNumbers(bytes, le, ifd.entries.get(Tag.SMaxSampleValue), 1)?.[0];
  if (smin !== undefined && smax !== undefined) add('Sample value range', smin, smax);
  else {
    const min = readNumbers(bytes, le, ifd.entries.get(Tag.MinSampleValue), 1)?.[0];
    const max = readNumbers(bytes, le, ifd.entries.get(Tag.MaxSampleValue), 1)?.[0];
    // Only when a writer set them to something other than the type's full range.
    if (min !== undefined && max !== undefined && (min !== 0 || max !== 2 ** out.bits - 1))
      add('Sample value range', min, max);
  }
  return presets;
}

function asDataType(data: ArrayLike<number> & { buffer?: ArrayBufferLike }, dataType: DataType): PixelArray {
  const Ctor = CONSTRUCTORS[dataType];
  if (data instanceof Ctor) return data as PixelArray;
  if (data instanceof Uint8ClampedArray && dataType === 'uint8')
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  return Ctor.from(data as ArrayLike<number>) as PixelArray;
}

function swapElements(data: PixelArray): void {
  const size = data.BYTES_PER_ELEMENT;
  if (size === 1) return;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new VoxmarkError(ErrorCode.Aborted, 'Decoding the TIFF page was aborted', { cause: signal.reason }),
      );
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
