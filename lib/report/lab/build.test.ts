import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { NODE_STUB_MARK, buildLab, bundle } from './build.ts'
import { REPORT_PAGES } from '../parts/table.ts'
import { siteNav } from '../index.ts'

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
    // four scripts (names, the charts' layouts, worker, page), each closed once: nothing ends its <script> early
    expect(content.match(/<\/script>/g)).toHaveLength(4)
    expect(content.length).toBeLessThan(2_000_000)
  })

  it('carries vega but not vega-lite: the layouts are compiled when the page is built', async () => {
    const { content } = await buildLab()
    const charts = JSON.parse(content.match(/<script type="application\/json" id="lab-charts">([^<]*)<\/script>/)![1])
    expect(Object.keys(charts)).toEqual(['loss', 'activations', 'gradients', 'depth', 'weights', 'update'])
    expect((await bundle('page.ts')).code).not.toMatch(/vega-lite|compositeMark|normalizeEncoding/)
  })

  it("shows the site's nav: every report page, the kata pages, and the lab as the current page", async () => {
    const { content } = await buildLab(siteNav(REPORT_PAGES, ['03-kaiming.html']))
    const nav = content.match(/<nav class="top">([\s\S]*?)<\/nav>/)![1]
    const links = [...nav.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => [m[1], m[2]])
    expect(links).toEqual([
      ['index.html', 'Neural network dynamics'],
      ...REPORT_PAGES.map((p) => [p.file, p.nav]),
      ['katas/03-kaiming.html', '03'],
      ['lab.html', 'Lab'],
    ])
    expect(nav).toContain('<a href="lab.html" class="current" aria-current="page">Lab</a>')
  })
})
