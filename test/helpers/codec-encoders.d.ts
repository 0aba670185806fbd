// Full (encoder and decoder) builds of the cornerstone codecs, used by tests to make compressed frames.
declare module '@cornerstonejs/codec-charls/wasmjs' {
  const factory: unknown;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/wasmjs' {
  const factory: unknown;
  export default factory;
}
