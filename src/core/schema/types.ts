import type { AnnotationKind } from '../annotation/types.js';

/** A DICOM coded concept: (code value, coding scheme designator, code meaning), e.g. ('T-D0050', 'SRT', 'Tissue'). */
export interface CodedConcept {
  value: string;
  scheme: string;
  meaning: string;
}

// The annotation model owns its kinds and attribute values; the schema refers to them.
export { AnnotationKinds } from '../annotation/types.js';
export type { AnnotationKind, AttributeValue } from '../annotation/types.js';

interface AttributeBase {
  /** Key under which the value is stored in `Annotation.attributes`. */
  id: string;
  name: string;
  description?: string;
  required?: boolean;
}

export interface EnumAttributeDef extends AttributeBase {
  type: 'enum';
  options: string[];
  /** When true the value is a list of options joined by '|' in the attribute record. */
  multiple?: boolean;
  default?: string;
}
export interface BooleanAttributeDef extends AttributeBase {
  type: 'boolean';
  default?: boolean;
}
export interface NumberAttributeDef extends AttributeBase {
  type: 'number';
  min?: number;
  max?: number;
  step?: number;
  default?: number;
}
export interface TextAttributeDef extends AttributeBase {
  type: 'text';
  maxLength?: number;
  default?: string;
}
export type AttributeDef = EnumAttributeDef | BooleanAttributeDef | NumberAttributeDef | TextAttributeDef;

export interface LabelDef {
  id: string;
  name: string;
  /** '#rrggbb' */
  color: string;
  kinds: AnnotationKind[];
  /** Id of the parent label, for hierarchies such as lesion > tumour. */
  parent?: string;
  /** DICOM segment category and type, used by DICOM SEG export. */
  category?: CodedConcept;
  type?: CodedConcept;
  attributes?: AttributeDef[];
}

export interface LabelSchema {
  version: 1;
  labels: LabelDef[];
}
