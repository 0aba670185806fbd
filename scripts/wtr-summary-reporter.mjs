// Prints the suite's totals as the run's last line, "N passed, N failed", after the default reporter.
export function summaryReporter() {
  let line;
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const walk = (suite) => {
        for (const t of suite?.tests ?? []) {
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else failed++;
        }
        for (const s of suite?.suites ?? []) walk(s);
      };
      for (const session of sessions) {
        walk(session.testResults);
        // A file that failed to load counts as a failure, not as zero tests.
        if (!session.passed && !session.testResults?.tests?.length && !session.testResults?.suites?.length)
          failed++;
      }
      line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    },
    stop() {
      // The runner's terminal still owns the screen here; print once it has let go, as the run's last line.
      if (line) process.once('exit', () => process.stdout.write(`\n${line}\n`));
    },
  };
}
