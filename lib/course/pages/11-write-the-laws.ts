import { escapeHtml, table } from '../../report/html.ts'
import { type KataPage, html, section, code } from './shared.ts'

type K11 = import('../../../katas/11-write-the-laws/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 11: write the laws

export const page11: KataPage<K11> = {
  needs: ['softmaxLaws', 'tanhLocalGradientLaws', 'batchNormTrainLaws', 'kaimingStdLaws'],
  build: async (m, ctx) => {
    const { bank, references } = await import('../../../katas/11-write-the-laws/bank.ts')
    const grade = await import('../../../katas/11-write-the-laws/grading.ts')
    type AnyF = (...args: never[]) => unknown
    const subjects = [
      {
        fn: 'softmax',
        laws: m.softmaxLaws(),
        reference: references.softmax,
        broken: bank.softmax,
        nonsense: grade.nonsenseTensorFunctions(),
      },
      {
        fn: 'tanhLocalGradient',
        laws: m.tanhLocalGradientLaws(),
        reference: references.tanhLocalGradient,
        broken: bank.tanhLocalGradient,
        nonsense: grade.nonsenseTensorFunctions(),
      },
      {
        fn: 'batchNormTrain',
        laws: m.batchNormTrainLaws(),
        reference: references.batchNormTrain,
        broken: bank.batchNormTrain,
        nonsense: grade.nonsenseTensorFunctions(),
      },
      {
        fn: 'kaimingStd',
        laws: m.kaimingStdLaws(),
        reference: references.kaimingStd,
        broken: bank.kaimingStd,
        nonsense: grade.nonsenseNumberFunctions(),
      },
    ] as unknown as ReadonlyArray<{
      fn: string
      laws: ReadonlyArray<import('../../../katas/11-write-the-laws/types.ts').Law<AnyF>>
      reference: AnyF
      broken: ReadonlyArray<{ name: string; what: string; f: AnyF }>
      nonsense: ReadonlyArray<{ what: string; f: AnyF }>
    }>
    const caught = subjects.map((s) => ({
      ...s,
      rows: s.broken.map((b) => ({ b, by: grade.lawsThatReject(s.laws, b.f) })),
      lawRuns: s.laws.map((law) => ({
        law,
        run: grade.runLaw(law, s.reference),
        refused: grade.whyCannotFail(law, s.reference, s.nonsense, s.fn),
      })),
    }))
    const total = caught.reduce((n, s) => n + s.rows.length, 0)
    const rejected = caught.reduce((n, s) => n + s.rows.filter((r) => r.by.length > 0).length, 0)
    const laws = caught.reduce((n, s) => n + s.laws.length, 0)
    return {
      title: 'Kata 11: write the laws',
      headline: `${ctx.author}: ${laws} laws catch ${rejected} of the ${total} broken implementations in the bank`,
      intro: `Each law written by ${ctx.author} in ${ctx.folder} is run 100 times (fast-check, a fixed seed) against the reference implementation and against every broken one in the kata's bank (${code('bank.ts')}, beside its tests).`,
      blocks: [
        section(
          'What your laws caught of the bank',
          'Look for rows that say "slipped through": each names what is broken, so you know which law is missing.',
        ),
        ...caught.map((s) =>
          html(
            `<h3>${code(s.fn)}</h3>` +
              table(
                ['broken implementation', 'caught by', 'what is broken'],
                s.rows.map(({ b, by }) => [
                  escapeHtml(b.name),
                  by.length === 0 ? '<strong>slipped through</strong>' : by.map(escapeHtml).join('<br>'),
                  escapeHtml(b.what),
                ]),
              ),
          ),
        ),
        section(
          'Your laws on the reference',
          'Look at the time each law takes (under 2 s each) and whether it can fail at all.',
        ),
        html(
          table(
            ['function', 'law', 'holds on the reference', 'ms for 100 runs', 'can fail', 'broken ones it catches'],
            caught.flatMap((s) =>
              s.lawRuns.map(({ law, run, refused }) => [
                code(s.fn),
                escapeHtml(law.name),
                run.holds ? 'yes' : `<strong>no</strong>: ${escapeHtml(run.failure)}`,
                String(Math.round(run.ms)),
                refused === undefined ? 'yes' : `<strong>no</strong>: ${escapeHtml(refused)}`,
                String(s.rows.filter((r) => r.by.includes(law.name)).length),
              ]),
            ),
            [3, 5],
          ),
        ),
      ],
    }
  },
}
