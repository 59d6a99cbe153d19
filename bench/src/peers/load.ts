/**
 * The peers are CommonJS packages with loose or missing types: they are loaded through
 * `createRequire` and described by the few members the suite uses.
 */
import { createRequire } from 'node:module'

export const requirePeer: NodeRequire = createRequire(import.meta.url)
