/**
 * The decision boundary as a heat map, with the points over it: training points with a white
 * ring, test points with a dark one.
 */
import { probabilityColor, rgb, CLASS0, CLASS1 } from './colors.js'
import type { Point, Split2D } from './datasets.js'
import { GRID_SIZE } from './grid.js'

/** Draws the grid (class 1's probability per cell, see grid.ts) and the points onto a canvas. */
export const drawBoundary = (canvas: HTMLCanvasElement, grid: Float32Array | undefined, points: Split2D | undefined): void => {
  const ctx = canvas.getContext('2d')!
  const { width, height } = canvas
  ctx.clearRect(0, 0, width, height)
  if (grid !== undefined) {
    const image = new ImageData(GRID_SIZE, GRID_SIZE)
    grid.forEach((p, k) => {
      const [r, g, b] = probabilityColor(p)
      image.data.set([r, g, b, 255], 4 * k)
    })
    const cells = new OffscreenCanvas(GRID_SIZE, GRID_SIZE)
    cells.getContext('2d')!.putImageData(image, 0, 0)
    ctx.imageSmoothingEnabled = true
    ctx.drawImage(cells, 0, 0, width, height)
  }
  const dot = (p: Point, ring: string): void => {
    ctx.beginPath()
    ctx.arc(((p.x + 1) / 2) * width, ((1 - p.y) / 2) * height, 3.5, 0, 2 * Math.PI)
    ctx.fillStyle = rgb(p.label === 1 ? CLASS1 : CLASS0)
    ctx.fill()
    ctx.strokeStyle = ring
    ctx.lineWidth = 1
    ctx.stroke()
  }
  points?.train.forEach((p) => dot(p, '#fff'))
  points?.test.forEach((p) => dot(p, '#222'))
}
