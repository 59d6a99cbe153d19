import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomic } from '../shared/atomicWrite.js'

const dir = mkdtempSync(join(tmpdir(), 'purenn-atomic-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('writeFileAtomic', () => {
  it('creates the directory, writes the file and leaves no temporary file behind', async () => {
    const path = join(dir, 'a', 'b', 'chart.svg')
    await writeFileAtomic(path, '<svg/>')
    expect(readFileSync(path, 'utf8')).toBe('<svg/>')
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['chart.svg'])
  })

  it('replaces an existing file whole', async () => {
    const path = join(dir, 'replace.txt')
    await writeFileAtomic(path, 'old content, longer than the new')
    await writeFileAtomic(path, 'new')
    expect(readFileSync(path, 'utf8')).toBe('new')
  })

  it('rejects when the target cannot be replaced, and cleans up its temporary file', async () => {
    const target = join(dir, 'is-a-directory')
    mkdirSync(join(target, 'inside'), { recursive: true })
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow()
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})
