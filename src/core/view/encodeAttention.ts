// Attention slices travel to the webview as base64 of their float32 bytes (little-endian, as on
// every platform VS Code runs on): exact values, a quarter of the size of JSON numbers.
export function encodeFloat32Base64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}
