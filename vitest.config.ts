import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

// Tests import the packages by their public names; these aliases point them at the sources,
// so that `pnpm test` checks the code as written (the packaging test checks the built dist).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@purenn\/matrix$/, replacement: src('./packages/matrix/src/index.ts') },
      { find: /^@purenn\/network$/, replacement: src('./packages/network/src/index.ts') },
      { find: /^@purenn\/network\/node$/, replacement: src('./packages/network/src/node.ts') },
      { find: /^@purenn\/training$/, replacement: src('./packages/training/src/index.ts') },
      { find: /^@purenn\/interop$/, replacement: src('./packages/interop/src/index.ts') },
      { find: /^@purenn\/interop\/node$/, replacement: src('./packages/interop/src/node.ts') }
    ]
  },
  test: {
    // CI asks for a JSON report beside the usual output (see .ci/run), through the environment
    // because pnpm 12 keeps `--reporter` for itself.
    reporters: process.env['PURENN_TEST_REPORT']
      ? ['default', ['json', { outputFile: process.env['PURENN_TEST_REPORT'] }]]
      : ['default'],
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'examples/playground/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Build the packages first: the worker and browser tests load their dist/ (test/globalSetup.ts).
    globalSetup: ['./test/globalSetup.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
