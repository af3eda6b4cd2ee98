/**
 * What this browser offers each backend, found out by trying it (in the worker, where the
 * backends run): WebAssembly SIMD and shared-memory threads, and WebGL's version and float
 * textures on an OffscreenCanvas.
 */

/** The smallest module using a SIMD instruction (`v128.const` + `drop`); valid only where SIMD is. */
const SIMD_PROBE = new Uint8Array([
  ...[0, 97, 115, 109, 1, 0, 0, 0], // "\0asm", version 1
  ...[1, 4, 1, 96, 0, 0], // one type: () -> ()
  ...[3, 2, 1, 0], // one function of that type
  ...[10, 23, 1, 21, 0, 253, 12, ...new Array<number>(16).fill(0), 26, 11], // v128.const 0; drop; end
]);

/** Capability lines for the wasm backend. */
export function wasmDetails(): string[] {
  const simd = WebAssembly.validate(SIMD_PROBE);
  const shared = typeof SharedArrayBuffer !== 'undefined';
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  return [
    `WebAssembly SIMD (f32x4): ${simd ? 'yes' : 'no — the backend needs it and cannot start'}`,
    `threads: no — the wasm backend's worker threads are Node's worker_threads; in a browser it runs on one thread${
      shared && isolated
        ? ' (this page is cross-origin isolated, so shared memory would be available)'
        : ` (this page is ${isolated ? '' : 'not '}cross-origin isolated; SharedArrayBuffer ${shared ? 'exists' : 'is unavailable'})`
    }`,
  ];
}

/** Capability lines for WebGL, probed on an OffscreenCanvas as gpu.js in a worker would use it. */
export function webglDetails(): string[] {
  if (typeof OffscreenCanvas === 'undefined')
    return ['WebGL: unavailable — this browser has no OffscreenCanvas in workers'];
  const lines: string[] = [];
  for (const version of ['webgl2', 'webgl'] as const) {
    const gl = new OffscreenCanvas(1, 1).getContext(version) as WebGLRenderingContext | null;
    if (!gl) {
      lines.push(`${version === 'webgl2' ? 'WebGL 2' : 'WebGL 1'}: unavailable (no context)`);
      continue;
    }
    const floats =
      version === 'webgl2'
        ? gl.getExtension('EXT_color_buffer_float')
          ? 'float textures renderable (EXT_color_buffer_float)'
          : 'no renderable float textures (EXT_color_buffer_float missing)'
        : gl.getExtension('OES_texture_float')
          ? 'float textures (OES_texture_float)'
          : 'no float textures (OES_texture_float missing)';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(
      gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'unknown renderer',
    );
    lines.push(
      `${version === 'webgl2' ? 'WebGL 2' : 'WebGL 1'}: ${gl.getParameter(gl.VERSION)}; ${floats}; max texture ${gl.getParameter(gl.MAX_TEXTURE_SIZE)}; ${renderer}`,
    );
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
  return lines;
}

/** Capability lines for backend `name`. */
export function detailsFor(name: string): string[] {
  if (name === 'wasm') return wasmDetails();
  if (name === 'gpujs') return webglDetails();
  return [
    "plain TypeScript, the reference every other backend is checked against; here it runs in the page's Web Worker",
  ];
}
