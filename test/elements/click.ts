/**
 * A real mouse click on the middle of an element (scrolled into view first), for the control tests.
 */
import { sendMouse } from '@web/test-runner-commands';

export async function clickOn(target: Element): Promise<void> {
  target.scrollIntoView({ block: 'center' });
  const r = target.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
  });
}
