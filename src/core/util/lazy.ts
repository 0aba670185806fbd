/**
 * A lazily loaded module, imported once and then shared. Each `import()` of an already loaded chunk still costs
 * a module-map lookup and promise jobs, so a loop that imports per item (per file of a 300-file series) pays it
 * every time; this pays it once. A failed load (a network blip) is not kept: the next call tries again.
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((e: unknown) => {
      loading = undefined;
      throw e;
    }));
}
