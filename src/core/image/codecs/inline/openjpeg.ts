// wasm: @cornerstonejs/codec-openjpeg/dist/openjpegwasm_decode.wasm
// Empty in the sources: the package build (rollup.config.mjs) fills this chunk with the base64 binary,
// the fallback for hosts whose bundler moved the codec code away from the .wasm file next to it.
const wasm: string = '';
export default wasm;
