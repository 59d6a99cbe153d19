/** The two classes' colours (the TensorFlow Playground's), and the scale between them. */
export const CLASS0 = [245, 147, 34] as const // orange
export const CLASS1 = [8, 119, 189] as const // blue
const WHITE = [232, 234, 235] as const

/** The colour of a probability of class 1: orange at 0, light grey at 0.5, blue at 1. */
export const probabilityColor = (p: number): readonly [number, number, number] => {
  const t = Math.min(1, Math.max(0, Math.abs(2 * p - 1)))
  const end = p >= 0.5 ? CLASS1 : CLASS0
  return [WHITE[0] + (end[0] - WHITE[0]) * t, WHITE[1] + (end[1] - WHITE[1]) * t, WHITE[2] + (end[2] - WHITE[2]) * t]
}

export const rgb = (c: readonly number[]): string => `rgb(${c.map((v) => Math.round(v)).join(',')})`
