/**
 * The table of parts: the lecture's parts in its order, each with its folder under
 * lib/report/parts/, its page, its name in the nav, the section of the lecture it follows and the
 * katas that teach it. The nav, the index, the kata links and the kata pages all read this list;
 * no other list of the report's pages is kept.
 */
import type { NavEntry } from '../html.ts'

export interface Part {
  /** Its folder under lib/report/parts/: page.md (the words) and figures.ts (the figures). */
  readonly folder: string
  readonly file: string
  /** The short name in the nav bar. */
  readonly nav: string
  /** The section of the lecture it follows (shared/lecture.md's numbering), or where it goes beyond. */
  readonly section: string
  /** The katas (by number) whose pages belong to this part. */
  readonly katas: readonly string[]
}

export const PARTS: readonly Part[] = [
  { folder: '01-initial-loss', file: 'initial-loss.html', nav: 'Initial loss', section: '2', katas: ['01', '09'] },
  { folder: '02-saturation', file: 'saturation.html', nav: 'Saturation', section: '3', katas: ['02'] },
  { folder: '03-kaiming', file: 'kaiming.html', nav: 'Kaiming', section: '4', katas: ['03'] },
  { folder: '04-batchnorm', file: 'batchnorm.html', nav: 'BatchNorm', section: '5', katas: ['04', '10'] },
  { folder: '05-instruments', file: 'instruments.html', nav: 'Instruments', section: '6', katas: ['05', '06'] },
  { folder: '06-results', file: 'results.html', nav: 'Results', section: '2.3, 3.3, 5.3', katas: ['07'] },
  { folder: '07-diagnose', file: 'diagnose.html', nav: 'Diagnose', section: '6.2', katas: ['08'] },
  { folder: '08-gain-explorer', file: 'gain-explorer.html', nav: 'Gain explorer', section: 'beyond 4.3', katas: [] },
]

/** The report's pages in the nav's order. */
export const REPORT_PAGES: readonly NavEntry[] = PARTS.map(({ file, nav }) => ({ file, nav }))

/** A kata's number, "01" for 01-initial-loss (or for its page, 01-initial-loss.html). */
export const kataNumber = (kata: string): string => kata.slice(0, 2)

/** The part a kata's page belongs to, if any. */
export const partOfKata = (kata: string): Part | undefined => PARTS.find((p) => p.katas.includes(kataNumber(kata)))
