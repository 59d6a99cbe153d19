// Runs one of the playground's TypeScript scripts in Node through Vite's module runner (Node 20
// cannot run TypeScript by itself; Vite is already here to build the page):
//   node scripts/run.mjs scripts/trainModel.ts [args...]
import { runnerImport } from 'vite'
import { resolve } from 'node:path'

const [script, ...args] = process.argv.slice(2)
if (script === undefined) throw new Error('usage: node scripts/run.mjs <script.ts> [args...]')
const { module } = await runnerImport(resolve(script), { configFile: false, logLevel: 'error' })
if (typeof module.main !== 'function') throw new Error(`${script} exports no main(args)`)
await module.main(args)
