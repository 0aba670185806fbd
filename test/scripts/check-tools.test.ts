import { expect } from '@open-wc/testing';
import { checkWithTool, dicom3toolsErrors } from '../helpers/check-tool.js';

describe('the validator endpoint of the test server', () => {
  it('answers for an allow-listed tool, and refuses others', async () => {
    const report = await checkWithTool('dcmdump', new Uint8Array([1, 2, 3, 4]));
    if (report.available) {
      // Four bytes are no DICOM file: dcmdump must say so rather than succeed.
      expect(report.exitCode).to.not.equal(0);
    } else {
      expect(report.stderr).to.match(/not installed/);
    }
    const res = await fetch('/__voxmark_check__/rm', { method: 'POST', body: new Uint8Array(1) });
    expect(res.status).to.equal(404);
  });

  it('picks the error lines out of a dicom3tools report', () => {
    const lines = dicom3toolsErrors({
      available: true,
      exitCode: 0,
      stdout: 'Warning - x\nError - Missing attribute Type 1\n',
      stderr: 'Error - Bad value\n',
    });
    expect(lines).to.deep.equal(['Error - Missing attribute Type 1', 'Error - Bad value']);
  });
});
