/**
 * The kata pages of `npm run report`: for each kata, the functions of the kata it calls and how it
 * draws the lecture's figures from them with lib/report's chart builders.
 *
 * A page is built from a kata module (the learner's katas/NN-topic/kata.ts, or the reference
 * answers) and a Context (the names data and seeded batches). Building a page runs the kata's
 * code; rendering and writing it is report.ts's job.
 */
import type { KataPage } from './pages/shared.ts'
import { page01 } from './pages/01-initial-loss.ts'
import { page02 } from './pages/02-saturation.ts'
import { page03 } from './pages/03-kaiming.ts'
import { page04 } from './pages/04-batchnorm.ts'
import { page05 } from './pages/05-modules.ts'
import { page06 } from './pages/06-instruments.ts'
import { page07 } from './pages/07-training.ts'
import { page08 } from './pages/08-detective.ts'
import { page09 } from './pages/09-zero-init.ts'
import { page10 } from './pages/10-batchnorm-folding.ts'
import { page11 } from './pages/11-write-the-laws.ts'

export { besideReference, makeContext, type KataPage, type PageBody } from './pages/shared.ts'

/** Every kata's page, by kata number. */
export const kataPages: Readonly<Record<string, KataPage<never>>> = {
  '01': page01 as KataPage<never>,
  '02': page02 as KataPage<never>,
  '03': page03 as KataPage<never>,
  '04': page04 as KataPage<never>,
  '05': page05 as KataPage<never>,
  '06': page06 as KataPage<never>,
  '07': page07 as KataPage<never>,
  '08': page08 as KataPage<never>,
  '09': page09 as KataPage<never>,
  '10': page10 as KataPage<never>,
  '11': page11 as KataPage<never>,
}
