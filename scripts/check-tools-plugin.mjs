// A dev-server endpoint that lets browser tests ask third-party validators about bytes they produced:
// POST /__voxmark_check__/<tool> with the file as the body answers JSON
// `{ available, exitCode, stdout, stderr }`. Only the tools listed here run, each on a temporary copy of
// the posted bytes; a tool that is not installed answers `available: false`, so tests can skip with a reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = '/__voxmark_check__/';
/**
 * Debian's Python, where apt installs nibabel and pydicom; the first `python3` on the PATH may be another
 * installation without them.
 */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
/** The Python that has `module`: Debian's, else the first python3 on the PATH (pip or pyenv installs). */
function pythonWith(module) {
  for (const py of [PYTHON, 'python3'])
    if (spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0) return py;
  return undefined;
}
/** Largest body accepted (a SEG or NIfTI of a test volume is far smaller). */
const MAX_BODY = 256 * 1024 * 1024;

/**
 * Tools by name: the command and its arguments for a file path, and the file name to write (some
 * readers choose their decoder by extension). `python:<module>` runs a small script of ours.
 */
const TOOLS = {
  dciodvfy: { file: 'input.dcm', command: (f) => ['dciodvfy', [f]] },
  // dcentvfy compares the patient, study and series attributes of several files: post them together.
  dcentvfy: { file: 'input.dcm', command: (...files) => ['dcentvfy', files] },
  dcmdump: { file: 'input.dcm', command: (f) => ['dcmdump', ['+L', f]] },
  // nibabel: prints shape, dtype, affine, sform/qform codes, the scaling nibabel applies (its header copy is
  // reset to NaN on load, so scl_slope/inter come from the data object), and the sum and
  // histogram of the data as JSON.
  nibabel: {
    file: 'input.nii.gz',
    command: (f) => [
      PYTHON,
      [
        '-c',
        `import json, sys, gzip
import numpy as np, nibabel as nib
path = sys.argv[1]
with open(path, 'rb') as fh:
    head = fh.read(2)
if head != b'\\x1f\\x8b':
    import shutil; shutil.copy(path, path[:-3]); path = path[:-3]
img = nib.load(path)
data = np.asanyarray(img.dataobj)
u, c = np.unique(data, return_counts=True)
print(json.dumps({
  'shape': list(img.shape), 'dtype': str(img.get_data_dtype()),
  'affine': img.affine.tolist(), 'sform_code': int(img.header['sform_code']),
  'qform_code': int(img.header['qform_code']),
  'scl_slope': float(getattr(img.dataobj, 'slope', 1.0)),
  'scl_inter': float(getattr(img.dataobj, 'inter', 0.0)),
  'zooms': [float(z) for z in img.header.get_zooms()],
  'sum': float(np.asarray(img.get_fdata()).sum()),
  'values': {str(k): int(v) for k, v in zip(u.tolist()[:256], c.tolist()[:256])},
}))`,
        f,
      ],
    ],
  },
  // pydicom: reads the file and prints its top-level keywords and values (strings) as JSON.
  pydicom: {
    file: 'input.dcm',
    command: (f) => [
      PYTHON,
      [
        '-c',
        `import json, sys
import pydicom
ds = pydicom.dcmread(sys.argv[1])
out = {}
for el in ds:
    if el.keyword and el.VR not in ('SQ', 'OB', 'OW', 'OF', 'OD', 'UN'):
        out[el.keyword] = str(el.value)
out['_frames'] = int(getattr(ds, 'NumberOfFrames', 1))
out['_pixels'] = len(ds.PixelData) if 'PixelData' in ds else 0
print(json.dumps(out))`,
        f,
      ],
    ],
  },
  // pycocotools: loads a COCO JSON and, for each category with keypoints, evaluates its keypoint annotations
  // against themselves (COCOeval 'keypoints', one OKS sigma per keypoint): AP 1.0 when pycocotools reads them
  // as written. Prints the categories' keypoints, skeletons, annotation counts and APs as JSON.
  pycocotools: {
    file: 'input.json',
    command: (f) => [
      pythonWith('pycocotools') ?? PYTHON,
      [
        '-c',
        `import json, sys, io, contextlib
import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
with contextlib.redirect_stdout(io.StringIO()):
    gt = COCO(sys.argv[1])
out = {}
for cat in gt.loadCats(gt.getCatIds()):
    if 'keypoints' not in cat: continue
    anns = gt.loadAnns(gt.getAnnIds(catIds=[cat['id']]))
    entry = {'keypoints': cat['keypoints'], 'skeleton': cat.get('skeleton'), 'annotations': len(anns)}
    if anns:
        with contextlib.redirect_stdout(io.StringIO()):
            dt = gt.loadRes([dict(a, score=1.0) for a in anns])
            ev = COCOeval(gt, dt, 'keypoints')
            ev.params.catIds = [cat['id']]
            ev.params.kpt_oks_sigmas = np.full(len(cat['keypoints']), 0.05)
            ev.evaluate(); ev.accumulate(); ev.summarize()
        entry['ap'] = float(ev.stats[0])
    out[cat['name']] = entry
print(json.dumps(out))`,
        f,
      ],
    ],
  },
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Whether the tool (and for python checks, its module) can run here. */
function available(name) {
  if (name === 'nibabel' || name === 'pydicom') {
    return spawnSync(PYTHON, ['-c', `import ${name}`], { stdio: 'ignore' }).status === 0;
  }
  if (name === 'pycocotools') return pythonWith(name) !== undefined;
  const bin = TOOLS[name].command('x')[0];
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

/** Koa middleware for @web/dev-server: answers POST /__voxmark_check__/<tool>. */
export function checkToolsMiddleware() {
  const cache = new Map();
  return async (ctx, next) => {
    if (!ctx.path.startsWith(PREFIX)) return next();
    const name = ctx.path.slice(PREFIX.length);
    const tool = Object.hasOwn(TOOLS, name) ? TOOLS[name] : undefined;
    if (!tool || ctx.method !== 'POST') {
      ctx.status = 404;
      return undefined;
    }
    if (!cache.has(name)) cache.set(name, available(name));
    if (!cache.get(name)) {
      ctx.body = { available: false, exitCode: -1, stdout: '', stderr: `${name} is not installed` };
      return undefined;
    }
    const dir = mkdtempSync(join(tmpdir(), 'voxmark-check-'));
    try {
      // Several files in one body: the X-Voxmark-Parts header lists their lengths, in order.
      const body = await readBody(ctx.req);
      const lengths = String(ctx.get('x-voxmark-parts') || body.length)
        .split(',')
        .map(Number);
      const files = [];
      let offset = 0;
      for (const [i, length] of lengths.entries()) {
        const file = join(dir, lengths.length === 1 ? tool.file : `${i + 1}-${tool.file}`);
        writeFileSync(file, body.subarray(offset, offset + length));
        files.push(file);
        offset += length;
      }
      const [bin, args] = tool.command(...files);
      const run = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
      ctx.body = {
        available: true,
        exitCode: run.status ?? -1,
        stdout: run.stdout ?? '',
        stderr: run.stderr ?? '',
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return undefined;
  };
}
