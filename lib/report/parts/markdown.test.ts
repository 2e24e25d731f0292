import { describe, expect, it } from 'vitest'
import { renderWords, WordsError } from './markdown.ts'

const page = `# A title's words

The lead, with {{n}} in it
over two lines.

## Section one: the first

Look at {{n}} & this < that > there. {{tail}}

::: figure chart
::: if extra

## Extra

Only when asked.

::: end
::: each run

### {{name}} <small>(x)</small> {#run-{{name}}}

::: figure panel
::: end
`

describe('renderWords', () => {
  const blocks = (extra: boolean) =>
    renderWords('test', page, {
      values: { n: 3, tail: '' },
      when: { extra },
      figures: { chart: { kind: 'html', html: '<table></table>' } },
      each: {
        run: ['a', 'b'].map((name) => ({
          values: { name },
          figures: { panel: { kind: 'html', html: `<p>${name}</p>` } },
        })),
      },
    })

  it('takes the title and the lead from the top, fills the values, places the figures in order', () => {
    const w = blocks(true)
    expect(w.title).toBe("A title's words")
    expect(w.intro).toBe('The lead, with 3 in it over two lines.')
    expect(w.blocks.map((b) => (b.kind === 'html' ? b.html : b.kind))).toEqual([
      '<h2 id="section-one-the-first">Section one: the first</h2>\n<p class="look">Look at 3 &amp; this &lt; that > there. </p>',
      '<table></table>',
      '<h2 id="extra">Extra</h2>\n<p class="look">Only when asked.</p>',
      '<h3 id="run-a">a <small>(x)</small></h3>',
      '<p>a</p>',
      '<h3 id="run-b">b <small>(x)</small></h3>',
      '<p>b</p>',
    ])
  })

  it('leaves out the lines of an if that does not hold', () => {
    expect(blocks(false).blocks.some((b) => b.kind === 'html' && b.html.includes('Extra'))).toBe(false)
  })

  it('names the part and what is missing: a value, a figure, a condition, an unclosed if', () => {
    expect(() => renderWords('p', '# T\n\nLead {{x}}.\n', {})).toThrow(
      new WordsError('p', "no value 'x' from figures.ts"),
    )
    expect(() => renderWords('p', '# T\n\nLead.\n\n::: figure f\n', {})).toThrow("line 5: no figure 'f'")
    expect(() => renderWords('p', '# T\n\nLead.\n\n::: if c\n::: end\n', {})).toThrow("line 5: no condition 'c'")
    expect(() => renderWords('p', '# T\n\nLead.\n\n::: if c\n', { when: { c: true } })).toThrow('is not closed')
    expect(() => renderWords('p', 'Lead.\n', {})).toThrow('must begin with a # title')
  })
})
