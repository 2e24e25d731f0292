/**
 * The report's pages, one per part of the lecture: each part's words (its page.md) filled with
 * its figures (its figures.ts) computed from the run. Pure: a ReportInput in, drafts out;
 * rendering to SVG and HTML happens in ../index.ts. A page copes with any subset of runs: a chart
 * whose run is missing becomes a note saying which run it needs.
 */
import { readFileSync } from 'node:fs'
import type { ReportInput } from '../input.ts'
import type { PageDraft } from './blocks.ts'
import { renderWords } from './markdown.ts'
import type { PartFigures } from './part.ts'
import { PARTS } from './table.ts'
import { initialLoss } from './01-initial-loss/figures.ts'
import { saturation } from './02-saturation/figures.ts'
import { kaiming } from './03-kaiming/figures.ts'
import { batchNorm } from './04-batchnorm/figures.ts'
import { instruments } from './05-instruments/figures.ts'
import { results } from './06-results/figures.ts'
import { diagnose } from './07-diagnose/figures.ts'
import { gainExplorer } from './08-gain-explorer/figures.ts'

export type { Block, PageDraft } from './blocks.ts'

/** Each part's figures, by its folder. */
const FIGURES: Readonly<Record<string, PartFigures>> = {
  '01-initial-loss': initialLoss,
  '02-saturation': saturation,
  '03-kaiming': kaiming,
  '04-batchnorm': batchNorm,
  '05-instruments': instruments,
  '06-results': results,
  '07-diagnose': diagnose,
  '08-gain-explorer': gainExplorer,
}

const words = new Map<string, string>()
/** A part's page.md, read once. */
const wordsOf = (folder: string): string => {
  const known = words.get(folder)
  if (known !== undefined) return known
  const text = readFileSync(new URL(`./${folder}/page.md`, import.meta.url), 'utf8')
  words.set(folder, text)
  return text
}

/** One part's page from the run. */
export const partPage = (folder: string, data: ReportInput): PageDraft => {
  const part = PARTS.find((p) => p.folder === folder)
  const figures = FIGURES[folder]
  if (part === undefined || figures === undefined) throw new Error(`lib/report/parts: no part '${folder}'`)
  const { headline, ...filling } = figures(data)
  const { title, intro, blocks } = renderWords(`lib/report/parts/${folder}`, wordsOf(folder), filling)
  return { file: part.file, nav: part.nav, title, headline, intro, blocks }
}

/** Every page of the report, in the lecture's order. */
export const buildPages = (data: ReportInput): PageDraft[] => PARTS.map((p) => partPage(p.folder, data))
