import { describe, expect, it } from 'vitest';

describe('the game-side package in a browser bundle', () => {
  it('bundles OnnxPolicy with onnxruntime-web and without onnxruntime-node or Node built-ins', async () => {
    // esbuild comes with tsx; a browser build fails on any Node built-in it is asked to resolve.
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: ['bridge/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      external: ['onnxruntime-web'],
      logLevel: 'silent',
    });
    const packages = new Set(
      Object.keys(result.metafile.inputs)
        .filter((path) => path.includes('node_modules/'))
        .map((path) => path.split('node_modules/')[1]!.split('/')[0]!),
    );
    expect(packages.has('onnxruntime-node')).toBe(false);
    expect(packages.has('ws')).toBe(false);
    expect(packages.has('protobufjs')).toBe(true);
    const code = result.outputFiles[0]!.text;
    expect(code).toMatch(/import\("onnxruntime-web"\)/);
    expect(code).toContain('OnnxPolicy');
  });
});
