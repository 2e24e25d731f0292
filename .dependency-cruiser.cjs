/**
 * The layering of lib/: imports flow one way, engine -> model -> instruments -> report -> course -> cli.
 * A layer may import the layers before it, never one after it; nothing may form a cycle; a training
 * worker never reaches vega. `npm run lint` runs this.
 */
const layers = ['engine', 'model', 'instruments', 'report', 'course', 'cli']
const later = (i) => layers.slice(i + 1).join('|')

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    ...layers.slice(0, -1).map((layer, i) => ({
      name: `${layer}-imports-only-earlier-layers`,
      comment: `lib/${layer}/ may import ${layers.slice(0, i).join(', ') || 'no other layer'}, not ${later(i).replaceAll('|', ', ')}`,
      severity: 'error',
      from: { path: `^lib/${layer}/` },
      to: { path: `^lib/(${later(i)})/` },
    })),
    {
      name: 'lib-never-imports-katas',
      comment:
        'lib/ is the course material; it reaches katas only through the vitest runner, never by import (kata pages load kata files at run time)',
      severity: 'error',
      from: { path: '^lib/(engine|model|instruments|report)/' },
      to: { path: '^(katas|solutions)/' },
    },
    {
      name: 'only-a-kata-imports-its-learner-file',
      comment:
        "the learner's katas/NN-topic/kata.ts may hold anything (a type error, a copy of the answer, nothing): only its own kata's checks import it; the types every other file needs are in katas/NN-topic/types.ts",
      severity: 'error',
      from: { path: '^(lib|bench|e2e|solutions)/' },
      to: { path: '^katas/[^/]+/kata\\.ts$' },
    },
    {
      name: 'training-worker-never-loads-vega',
      comment: 'a training worker trains; charts are drawn once, on the main thread',
      severity: 'error',
      from: { path: '^lib/cli/worker\\.ts$' },
      to: { path: '^node_modules/(vega|vega-lite|vega-tooltip)/', reachable: true },
    },
    {
      name: 'engine-model-instruments-never-load-vega',
      comment: 'the lecture (engine to instruments) knows nothing of charts',
      severity: 'error',
      from: { path: '^lib/(engine|model|instruments)/' },
      to: { path: '^node_modules/(vega|vega-lite|vega-tooltip)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
