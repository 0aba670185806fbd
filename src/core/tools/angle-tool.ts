import { MeasureTool } from './measure-tool.js';

/**
 * Angle tool: click the end of the first arm, then the vertex, then the end of the second arm (or drag the
 * first arm and click the third point); the third point commits an `angle` annotation (one undo step), whose
 * degrees the view shows at the vertex. Esc cancels, Backspace takes back the last point. On the selected
 * angle, drag a point to move it, or the angle to move it whole.
 */
export class AngleTool extends MeasureTool {
  readonly id = 'angle';
  protected readonly count = 3;
}
