import { MeasureTool } from './measure-tool.js';

/**
 * Line tool: a length measurement. Drag from one end to the other, or click both ends; the second end commits
 * a `line` annotation (one undo step), whose length in mm the view shows beside it. Esc cancels. On the
 * selected line, drag an end to move it, or the line to move it whole.
 */
export class LineTool extends MeasureTool {
  readonly id = 'line';
  protected readonly count = 2;
}
