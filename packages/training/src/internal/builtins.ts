/**
 * The library's own losses and activations, recognised by identity: what a worker can rebuild
 * from a name, and what the synchronous loop may run ahead of the epochs' reports (no code of
 * the caller's in it).
 */
import { binaryCrossEntropy, builtinActivations, crossEntropy, isBuiltinName, meanAbsoluteError, mse, type Loss, type Network } from '@purenn/network'

const builtinLosses: Readonly<Record<string, Loss>> = { mse, meanAbsoluteError, binaryCrossEntropy, crossEntropy }

/** The built-in loss of that name, if any. */
export const lossNamed = (name: string): Loss | undefined => (Object.hasOwn(builtinLosses, name) ? builtinLosses[name] : undefined)

/** True when the loss is the very one the package exports under its name. */
export const isBuiltinLossValue = (loss: Loss): boolean => lossNamed(loss.name) === loss

/** The first layer whose activation is not the very built-in of its name (a function of the caller's), or −1. */
export const firstCustomActivation = (net: Network): number =>
  net.layers.findIndex((l) => !isBuiltinName(l.activation.name) || builtinActivations[l.activation.name] !== l.activation)

/** True when the loss and every activation are built-ins. */
export const builtinsOnly = (net: Network, loss: Loss): boolean => isBuiltinLossValue(loss) && firstCustomActivation(net) < 0
