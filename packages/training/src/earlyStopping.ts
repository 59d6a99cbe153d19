/**
 * Early stopping: keep the best epoch by the monitored loss and stop once `patience` epochs in a row have not
 * improved on it by more than `minDelta`. The best epoch travels in the epoch state, so a run
 * resumed from a checkpoint stops where the uninterrupted run would.
 *
 * The monitored loss is the validation loss or, without a validation set, the loss over the
 * training set measured after the epoch (in the same pass as the Error), so that the best
 * epoch's network is the one that had the best loss.
 *
 * @since 0.1.0
 */
import type { Network } from '@purenn/network'
import type { Best } from './types.js'

/**
 * The best epoch after this one: this one if its loss is below the best's by more than
 * `minDelta` (or if there is no best yet), else the best so far.
 *
 * @example
 * import { improve } from '@purenn/training'
 * import { network } from '@purenn/network'
 * const net = network(2)
 * const first = improve(undefined, 1, 0.5, net, 0)
 * first // => { epoch: 1, loss: 0.5, network: net }
 * // not better by more than minDelta: the best stays
 * improve(first, 2, 0.49, net, 0.05) // => first
 * improve(first, 3, 0.4, net, 0.05) // => { epoch: 3, loss: 0.4, network: net }
 *
 * @category early stopping
 * @since 0.1.0
 */
export const improve = (best: Best | undefined, epoch: number, loss: number, network: Network, minDelta: number): Best =>
  best === undefined || loss < best.loss - minDelta ? { epoch, loss, network } : best

/**
 * Whether to stop after `epoch`: `patience` epochs or more have passed since the best one.
 *
 * @example
 * import { patienceRunOut } from '@purenn/training'
 * import { network } from '@purenn/network'
 * const best = { epoch: 4, loss: 0.1, network: network(2) }
 * // epochs 5, 6 and 7 did not improve on epoch 4
 * patienceRunOut(3, 7, best) // => true
 * patienceRunOut(3, 6, best) // => false
 *
 * @category early stopping
 * @since 0.1.0
 */
export const patienceRunOut = (patience: number, epoch: number, best: Best | undefined): boolean =>
  best !== undefined && epoch - best.epoch >= patience
