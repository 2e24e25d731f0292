/**
 * Mutant: the verdicts copied from one run's answers (case seed 1) into a table keyed by case name.
 * The cases are drawn fresh each run, so the same names hold other networks.
 */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Suspect } from '../../../katas/08-detective/types.ts'

export * from '../kata.ts'

const answers: Record<string, Suspect[]> = {
  'case A': [{ problem: 'lr-too-high', where: 'hidden weights', remedy: 'lower-learning-rate' }],
  'case B': [],
  'case C': [],
  'case D': [],
  'case E': [],
  'case F': [],
  'case G': [],
  'case H': [
    { problem: 'exploding', where: 'activations', remedy: 'kaiming-init' },
    { problem: 'exploding', where: 'gradients', remedy: 'kaiming-init' },
  ],
  'case I': [],
  'case J': [{ problem: 'lr-too-low', where: 'hidden weights', remedy: 'raise-learning-rate' }],
  'case K': [{ problem: 'saturated', where: 'tanh1', remedy: 'shrink-hidden-weights' }],
  'case L': [],
  'case M': [
    { problem: 'dead-units', where: 'relu5', remedy: 'kaiming-init' },
    { problem: 'vanishing', where: 'activations', remedy: 'kaiming-init' },
    { problem: 'vanishing', where: 'gradients', remedy: 'kaiming-init' },
  ],
  'case N': [
    { problem: 'vanishing', where: 'activations', remedy: 'kaiming-init' },
    { problem: 'vanishing', where: 'gradients', remedy: 'kaiming-init' },
  ],
  'case O': [{ problem: 'dead-units', where: 'relu2', remedy: 'kaiming-init' }],
  'case P': [],
  'case Q': [],
  'case R': [{ problem: 'confidently-wrong', where: 'output', remedy: 'shrink-output-layer' }],
  'case S': [{ problem: 'saturated', where: 'tanh2', remedy: 'shrink-hidden-weights' }],
  'case T': [],
  'case U': [],
  'case V': [],
  'case W': [
    { problem: 'exploding', where: 'activations', remedy: 'kaiming-init' },
    { problem: 'exploding', where: 'gradients', remedy: 'kaiming-init' },
  ],
  'case X': [{ problem: 'saturated', where: 'tanh1', remedy: 'shrink-hidden-weights' }],
}

export const investigate: Kata['investigate'] = (c) => answers[c.name] ?? []

export const mistake: Mistake = {
  lecture:
    'answers learnt by heart: a table of verdicts by case name fits one set of cases; the instruments have to be read on each network',
  message: 'the instruments show',
}
