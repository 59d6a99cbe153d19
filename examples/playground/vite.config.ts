// The playground's build: a static page with relative URLs (deployable as plain files under any
// path), its training worker bundled as an ES module worker, and the MNIST digits emitted as a
// binary asset made from the `mnist` package (scripts/mnistAsset.ts).
import { defineConfig } from 'vite'
import { mnistAssetPlugin } from './scripts/mnistAsset.js'

export default defineConfig({
  base: './',
  plugins: [mnistAssetPlugin()],
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  preview: { host: '127.0.0.1', port: 4319 }
})
