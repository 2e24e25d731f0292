/** What a part's figures.ts exports: from the run's results to its headline, the values its words quote and its figures. */
import type { ReportInput } from '../input.ts'
import type { Filling } from './markdown.ts'

export type PartFigures = (data: ReportInput) => Filling & { readonly headline: string }
