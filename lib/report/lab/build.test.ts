import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { NODE_STUB_MARK, buildLab, bundle } from './build.ts'

describe('the lab page', () => {
  it("bundles for the browser: the one node: import met is data.ts's node:fs, stubbed and tree-shaken away", async () => {
    for (const entry of ['page.ts', 'worker.ts']) {
      const b = await bundle(entry)
      expect(b.nodeImports, entry).toEqual(['node:fs <- lib/model/data.ts'])
      expect(b.code, entry).not.toContain(NODE_STUB_MARK)
    }
  })

  it('the worker carries the engine (the WebAssembly kernel) and never vega', async () => {
    const { code } = await bundle('worker.ts')
    expect(code).toContain('AGFzbQ') // the base64 of "\0asm", the kernel's magic number
    expect(code).not.toMatch(/vega-lite|vega\.github\.io/)
  })

  it('is one self-contained file: the corpus and both scripts inline, nothing loaded from elsewhere', async () => {
    const { file, content } = await buildLab()
    expect(file).toBe('lab.html')
    expect(content).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img|<iframe|@import/i)
    expect(content).not.toMatch(/(src|href)="(https?:)?\/\//i)
    const names = readFileSync('data/names.txt', 'utf8')
    expect(content).toContain(`<script type="text/plain" id="lab-names">${names}</script>`)
    // three scripts, each closed once: no bundle can end its <script> early
    expect(content.match(/<\/script>/g)).toHaveLength(3)
    expect(content.length).toBeLessThan(2_000_000)
  })
})
