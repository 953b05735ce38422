import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes `.br` and `.gz` next to every hashed script and stylesheet, so the server sends
 * compressed bytes without compressing per request (src/http/static-assets.ts picks one by
 * Accept-Encoding). Only files that shrink are kept compressed.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'hqadz-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      const dir = path.join(outDir, 'assets');
      for (const name of readdirSync(dir)) {
        if (!/\.(js|css|svg|json|txt|map)$/.test(name)) continue;
        const raw = readFileSync(path.join(dir, name));
        const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
        const gz = gzipSync(raw, { level: 9 });
        if (br.length < raw.length) writeFileSync(path.join(dir, `${name}.br`), br);
        if (gz.length < raw.length) writeFileSync(path.join(dir, `${name}.gz`), gz);
      }
    },
  };
}

export default defineConfig({
  root: 'web',
  plugins: [react(), precompress()],
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
