/**
 * Vite build of the pages: the start page (index.html), the game page (game.html, one template for
 * every game, chosen by ?game=) and the live plots page (plots.html). `three-rl play` and the
 * trainer build it through web/server/PageBuild.ts; `npx vite build --config web/vite.config.ts`
 * builds it by hand.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  appType: 'mpa',
  publicDir: false,
  resolve: {
    // OnnxPolicy imports 'onnxruntime-web'; its WASM-only build is all a page needs (the default
    // entry adds WebGPU and a .wasm twice the size). Vite copies the .wasm it references.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/wasm' }],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web/manual', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // three.js and onnxruntime-web are large by nature; the warning would only be noise.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // Rolldown's plugin-timing report is about Vite's own plugins: nothing a user can act on.
      checks: { bundlerTimings: false },
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        game: fileURLToPath(new URL('game.html', import.meta.url)),
        plots: fileURLToPath(new URL('plots.html', import.meta.url)),
      },
    },
  },
});
