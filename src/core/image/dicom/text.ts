import type { DataSet } from '../../dicom/dicom-parser.js';

/**
 * WHATWG encodings for the Defined Terms of Specific Character Set (0008,0005), PS3.3 C.12.1.1.2. The
 * ISO 2022 forms of a single-byte set decode as that set (its escape sequences are only needed to switch
 * between several); Japanese ISO 2022 (IR 87, IR 159 with IR 13 or IR 6) decodes as ISO-2022-JP.
 */
const ENCODINGS: Record<string, string> = {
  ISO_IR_6: 'windows-1252',
  ISO_IR_100: 'windows-1252',
  ISO_IR_101: 'iso-8859-2',
  ISO_IR_109: 'iso-8859-3',
  ISO_IR_110: 'iso-8859-4',
  ISO_IR_144: 'iso-8859-5',
  ISO_IR_127: 'iso-8859-6',
  ISO_IR_126: 'iso-8859-7',
  ISO_IR_138: 'iso-8859-8',
  ISO_IR_148: 'windows-1254',
  ISO_IR_203: 'iso-8859-15',
  ISO_IR_166: 'windows-874',
  ISO_IR_13: 'shift_jis',
  ISO_IR_192: 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** The WHATWG encoding for a Specific Character Set value ('' or undefined: the default repertoire). */
export function encodingOf(specificCharacterSet: string | undefined): string {
  const terms = (specificCharacterSet ?? '')
    .split('\\')
    .map((t) =>
      t
        .replace(/\0/g, '')
        .trim()
        .replace(/^ISO 2022 /, 'ISO_IR_')
        .replace(/^ISO_IR /, 'ISO_IR_'),
    )
    .filter((t) => t !== '');
  if (terms.some((t) => t === 'ISO_IR_87' || t === 'ISO_IR_159')) return 'iso-2022-jp';
  for (const t of terms) {
    const e = ENCODINGS[t];
    if (e && t !== 'ISO_IR_6') return e;
  }
  return 'windows-1252';
}

/**
 * A text element (PN, LO, SH, LT, ST, UT, UC) of `ds` decoded in the dataset's character set, with padding
 * and trailing spaces removed; undefined when absent or empty. dicom-parser's own `string()` reads every
 * byte as Latin-1, which garbles names in UTF-8 or any other repertoire.
 */
export function decodedText(ds: DataSet, tag: string, encoding: string): string | undefined {
  const el = ds.elements[tag];
  if (!el || !(el.length > 0)) return undefined;
  const raw = (ds.byteArray as Uint8Array).subarray(el.dataOffset, el.dataOffset + el.length);
  let text: string;
  try {
    text = new TextDecoder(encoding).decode(raw);
  } catch {
    text = new TextDecoder('windows-1252').decode(raw);
  }
  const v = text.replace(/\0/g, '').trim();
  return v === '' ? undefined : v;
}
