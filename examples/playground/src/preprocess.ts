/**
 * A drawing made into an MNIST digit, as MNIST's own digits were made: the strokes' bounding
 * box scaled (keeping its aspect ratio, averaging the pixels it covers) to fit a 20 x 20 box,
 * then placed in a 28 x 28 image so that the ink's centre of mass falls on its centre
 * (pixel (14, 14), where the package's digits have theirs on average).
 */

/** Ink above this counts for the bounding box. */
const THRESHOLD = 0.05
const BOX = 20
export const SIDE = 28

/** The bounding box of the ink in a `width` x `height` image, or undefined when there is none. */
const boundingBox = (ink: ArrayLike<number>, width: number, height: number): { x0: number; y0: number; w: number; h: number } | undefined => {
  let [x0, y0, x1, y1] = [width, height, -1, -1]
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x]! > THRESHOLD) {
        x0 = Math.min(x0, x)
        y0 = Math.min(y0, y)
        x1 = Math.max(x1, x)
        y1 = Math.max(y1, y)
      }
  return x1 < 0 ? undefined : { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 }
}

/**
 * The 784 grey levels (in [0, 1], row by row) of a drawing whose ink is given per pixel
 * (`ink[y * width + x]` in [0, 1]), or undefined for an empty drawing.
 */
export const toMnist = (ink: ArrayLike<number>, width: number, height: number): number[] | undefined => {
  const box = boundingBox(ink, width, height)
  if (box === undefined) return undefined
  const scale = BOX / Math.max(box.w, box.h)
  const tw = Math.max(1, Math.round(box.w * scale))
  const th = Math.max(1, Math.round(box.h * scale))
  // each target pixel: the mean of the source pixels whose centres fall in it (the nearest one if none does)
  const small = new Float64Array(tw * th)
  for (let ty = 0; ty < th; ty++)
    for (let tx = 0; tx < tw; tx++) {
      const [sx0, sx1] = [box.x0 + tx / scale, box.x0 + (tx + 1) / scale]
      const [sy0, sy1] = [box.y0 + ty / scale, box.y0 + (ty + 1) / scale]
      let sum = 0
      let count = 0
      for (let sy = Math.ceil(sy0 - 0.5); sy + 0.5 < sy1 && sy < height; sy++)
        for (let sx = Math.ceil(sx0 - 0.5); sx + 0.5 < sx1 && sx < width; sx++) {
          sum += ink[sy * width + sx]!
          count++
        }
      const nearest = () => ink[Math.min(height - 1, Math.floor((sy0 + sy1) / 2)) * width + Math.min(width - 1, Math.floor((sx0 + sx1) / 2))]!
      small[ty * tw + tx] = count > 0 ? sum / count : nearest()
    }
  // the centre of mass of the scaled box, then the shift that puts it at (14, 14)
  let [mass, mx, my] = [0, 0, 0]
  small.forEach((v, k) => {
    mass += v
    mx += v * (k % tw)
    my += v * Math.floor(k / tw)
  })
  const dx = Math.round(SIDE / 2 - mx / mass)
  const dy = Math.round(SIDE / 2 - my / mass)
  const out = new Array<number>(SIDE * SIDE).fill(0)
  small.forEach((v, k) => {
    const [x, y] = [(k % tw) + dx, Math.floor(k / tw) + dy]
    if (x >= 0 && x < SIDE && y >= 0 && y < SIDE) out[y * SIDE + x] = Math.min(1, v)
  })
  return out
}
