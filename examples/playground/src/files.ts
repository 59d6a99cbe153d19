/**
 * Saving and loading the network as our model JSON (`encodeNetwork` / `decodeNetwork`): a
 * download, a file picked with the Load control, or a file dropped anywhere on the page.
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeNetwork, encodeNetwork, type Network } from '@purenn/network'

export const MODEL_FILE = 'purenn-network.json'

/** Offers the network as a JSON file to download. */
export const saveNetwork = (net: Network): void => {
  const blob = new Blob([JSON.stringify(encodeNetwork(net))], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = MODEL_FILE
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** A network from a model file's text, or a message naming what is wrong with it. */
export const parseNetwork = (name: string, text: string): E.Either<string, Network> => {
  const json = E.tryCatch(
    () => JSON.parse(text) as unknown,
    (e) => `${name}: not JSON (${e instanceof Error ? e.message : String(e)})`
  )
  return E.chain((u: unknown) => E.mapLeft((e: { readonly message: string }) => `${name}: ${e.message}`)(decodeNetwork(u)))(json)
}

/** Reads a file and parses it as a network. */
export const readNetwork = async (file: File): Promise<E.Either<string, Network>> => parseNetwork(file.name, await file.text())

/** Calls `onFile` with each model file dropped anywhere on the page. */
export const acceptDrops = (target: HTMLElement, onFile: (file: File) => void): void => {
  target.addEventListener('dragover', (e) => {
    e.preventDefault()
    target.classList.add('dropping')
  })
  target.addEventListener('dragleave', () => target.classList.remove('dropping'))
  target.addEventListener('drop', (e) => {
    e.preventDefault()
    target.classList.remove('dropping')
    const file = e.dataTransfer?.files[0]
    if (file !== undefined) onFile(file)
  })
}
