// Property tests draw fresh random cases on every local run, to keep finding new ones. In CI
// (CI=true) they use one fixed seed, so that a run can be reproduced exactly and a rare case
// found locally is fixed in a commit, not discovered at landing time. FC_SEED overrides both.
import fc from 'fast-check'

const fromEnv = process.env['FC_SEED']
const seed = fromEnv !== undefined ? Number(fromEnv) : process.env['CI'] ? 20261125 : undefined
if (seed !== undefined && Number.isInteger(seed)) fc.configureGlobal({ seed })
