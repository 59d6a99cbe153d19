import { describe, expect, it } from 'vitest'
import { verboseLine } from '@purenn/training'

describe('verboseLine', () => {
  it('is the tutorial’s line, numbers in full', () => {
    expect(verboseLine({ epoch: 10, loss: 0.3, error: 1.9860974914165457, ms: 2 })).toBe('Epoch 10; Error 1.9860974914165457')
  })

  it('adds the losses and the accuracy when asked (and the report has them)', () => {
    const report = { epoch: 3, loss: 0.25, error: 2, validationLoss: 0.5, accuracy: 0.75, ms: 1 }
    expect(verboseLine(report, { loss: true, accuracy: true })).toBe('Epoch 3; Error 2; Loss 0.25; Validation loss 0.5; Accuracy 0.75')
    expect(verboseLine(report, { loss: true })).toBe('Epoch 3; Error 2; Loss 0.25; Validation loss 0.5')
    expect(verboseLine(report, { accuracy: true })).toBe('Epoch 3; Error 2; Accuracy 0.75')
    expect(verboseLine(report)).toBe('Epoch 3; Error 2')
    expect(verboseLine({ epoch: 1, loss: 0.25, error: 2, ms: 1 }, { loss: true, accuracy: true })).toBe('Epoch 1; Error 2; Loss 0.25')
  })
})
