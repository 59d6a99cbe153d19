/**
 * The canvas a digit is drawn on, with the mouse, a pen or a finger: white strokes on black,
 * as MNIST's digits are. After each stroke (and as it goes) the drawing is preprocessed as
 * MNIST's digits were (preprocess.ts) and handed to `onDigit`.
 */
import { toMnist } from './preprocess.js'

/** Stroke width on the 280-pixel canvas: about 2 pixels once scaled into MNIST's 20-pixel box. */
const STROKE = 24

export interface DigitPad {
  readonly clear: () => void
}

/** The ink of each pixel of the canvas, in [0, 1] (its red channel). */
const inkOf = (canvas: HTMLCanvasElement): Float32Array => {
  const { data } = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height)
  return Float32Array.from({ length: canvas.width * canvas.height }, (_, k) => data[4 * k]! / 255)
}

export const digitPad = (canvas: HTMLCanvasElement, onDigit: (digit: number[] | undefined) => void): DigitPad => {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!
  const clear = (): void => {
    ctx.fillStyle = '#000'
    ctx.fillRect(0, 0, canvas.width, canvas.height)
    onDigit(undefined)
  }
  const at = (e: PointerEvent): [number, number] => {
    const box = canvas.getBoundingClientRect()
    return [((e.clientX - box.left) * canvas.width) / box.width, ((e.clientY - box.top) * canvas.height) / box.height]
  }
  const pad = { drawing: false, last: [0, 0] as [number, number] }
  const publish = (): void => onDigit(toMnist(inkOf(canvas), canvas.width, canvas.height))
  canvas.addEventListener('pointerdown', (e) => {
    pad.drawing = true
    pad.last = at(e)
    canvas.setPointerCapture(e.pointerId)
  })
  canvas.addEventListener('pointermove', (e) => {
    if (!pad.drawing) return
    const next = at(e)
    ctx.strokeStyle = '#fff'
    ctx.lineWidth = STROKE
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    ctx.beginPath()
    ctx.moveTo(...pad.last)
    ctx.lineTo(...next)
    ctx.stroke()
    pad.last = next
  })
  const end = (): void => {
    if (!pad.drawing) return
    pad.drawing = false
    publish()
  }
  canvas.addEventListener('pointerup', end)
  canvas.addEventListener('pointercancel', end)
  clear()
  return { clear }
}
