/** Reading io-ts's errors. */
import type * as t from 'io-ts'

/** The path of the first io-ts error, as `graph.node[2].op_type`: where a decoded document went wrong. */
export const ioPath = (errors: t.Errors): string =>
  (errors[0]?.context ?? [])
    .slice(1)
    .map((c) => c.key)
    .filter((k) => k !== '')
    .reduce((p, k) => (/^\d+$/.test(k) ? `${p}[${k}]` : p === '' ? k : `${p}.${k}`), '')
