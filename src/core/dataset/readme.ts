/** The `README.md` of an exported dataset: the data card in words and tables, with how to train on each layout. */
import type { LabelSchema } from '../schema/types.js';
import type { DataCard, DatasetSplitName } from './types.js';

const SPLITS: DatasetSplitName[] = ['train', 'validation', 'test'];

const cell = (s: string | number) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Renders a data card as Markdown. */
export function renderDataCardReadme(card: DataCard, schema: LabelSchema): string {
  const out: string[] = [];
  out.push(`# ${card.name}`, '');
  out.push(
    `Exported by ${card.generator.name} ${card.generator.version} on ${card.createdAt}, label schema version ` +
      `${card.schema.version} (fingerprint ${card.schema.hash}). Layouts: ${card.formats.join(', ')}. ` +
      'The same facts, machine-readable, are in `datacard.json`.',
    '',
  );
  out.push('## Splits', '');
  out.push(
    `Patient-grouped (no patient is in two splits), seed \`${JSON.stringify(card.split.seed)}\`, ratios ` +
      `${card.split.ratios.map((r) => r.toFixed(3)).join(' / ')}${card.split.stratified ? ', stratified' : ''}. ` +
      `Leakage check: ${card.leakage.patientsInSeveralSplits === 0 ? 'passed, no patient in two splits' : `FAILED, ${card.leakage.patientsInSeveralSplits} patient(s) in several splits`}.`,
    '',
  );
  out.push('| split | cases | patients |', '| --- | ---: | ---: |');
  for (const s of SPLITS) out.push(`| ${s} | ${card.split.cases[s]} | ${card.split.patients[s]} |`);
  out.push('');
  out.push('## Labels', '');
  const voxels = Object.values(card.counts).some((c) => c.train.voxels !== undefined);
  out.push(
    `| value | label | ${SPLITS.map((s) => `${s}: instances / slices / pixels${voxels ? ' / voxels' : ''}`).join(' | ')} |`,
    `| ---: | --- | ${SPLITS.map(() => '---:').join(' | ')} |`,
  );
  schema.labels.forEach((l, i) => {
    const c = card.counts[l.id]!;
    const per = SPLITS.map((s) => {
      const x = c[s];
      return `${x.instances} / ${x.slices} / ${x.pixels}${voxels ? ` / ${x.voxels ?? 0}` : ''}`;
    });
    out.push(`| ${i + 1} | ${cell(l.name)} (\`${cell(l.id)}\`) | ${per.join(' | ')} |`);
  });
  out.push(
    '',
    'Value 0 is background. Pixels count each annotation on its own (boxes and polygons as rasterized); ' +
      'voxels count the NIfTI label maps, where a later annotation wins where two overlap.',
    '',
  );
  out.push('## Cases', '');
  out.push('| case | split | modality | size | de-identification | annotations | problems |');
  out.push('| --- | --- | --- | --- | --- | ---: | ---: |');
  for (const c of card.cases) {
    out.push(
      `| ${cell(c.caseId)} | ${c.split} | ${cell(c.modality ?? '')} | ${c.size.join('×')} | ${c.deidentification} | ${c.annotations} | ${c.problems} |`,
    );
  }
  out.push('');
  if (card.problems.length > 0) {
    out.push('## Validation problems exported anyway', '');
    for (const p of card.problems) out.push(`- ${cell(p.caseId)} \`${p.path}\`: ${cell(p.message)}`);
    out.push('');
  }
  if (card.warnings.length > 0) {
    out.push('## Warnings', '');
    for (const w of card.warnings) out.push(`- ${cell(w)}`);
    out.push('');
  }
  out.push('## Training on it', '');
  if (card.formats.includes('nnunet'))
    out.push(
      '- nnU-Net v2: move `nnUNet_raw/Dataset…` into your `nnUNet_raw` folder, run ' +
        '`nnUNetv2_plan_and_preprocess -d <id> --verify_dataset_integrity`, copy `splits_final.json` into ' +
        '`nnUNet_preprocessed/Dataset…/` to train on this split as fold 0, then `nnUNetv2_train <id> 3d_fullres 0`.',
    );
  if (card.formats.includes('msd'))
    out.push('- MONAI: `load_decathlon_datalist("msd/Task…/dataset.json", data_list_key="training")`.');
  if (card.formats.includes('coco'))
    out.push(
      '- detectron2: `register_coco_instances("train", {}, "coco/train/annotations.json", "coco/train")` ' +
        '(and the same for val and test).',
    );
  if (card.formats.includes('yolo'))
    out.push(
      '- Ultralytics: `yolo detect train data="$PWD/yolo/data.yaml" model=yolo11n.pt` (an absolute path to data.yaml).',
    );
  out.push('');
  return out.join('\n');
}
