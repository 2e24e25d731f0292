/**
 * A part's words: its page.md rendered with markdown-it, the run's figures put where the text says.
 *
 * page.md is Markdown with three small additions, each on a line of its own or inside the text:
 *
 * - `{{name}}` inside the text: a value the part's figures.ts computed from the run (a number, a
 *   run's name), already HTML;
 * - `::: figure name` on a line of its own: where the figure (a chart, a table, a note) goes;
 * - `::: if name` ... `::: end`: lines kept only when the part says `name` holds (a section that
 *   only some runs call for);
 * - `::: each name` ... `::: end`: lines said once for each item of the part's list `name` (a
 *   section per run), with that item's values and figures;
 * - `{#id}` at the end of a heading: its id, where the words alone would not make it.
 *
 * The page's `# heading` is its title, the paragraph under it the lead, each `## heading` a
 * section with an id made from its words (`slug`), and the paragraph under a section's heading
 * its "look" line, what to look at. The text is HTML-ready as written: markdown-it escapes only
 * what HTML must have escaped (`&` and `<` that open nothing), so the page shows what page.md says.
 */
import MarkdownIt, { type Env, type Token } from 'markdown-it'
import { slug, type Block } from './blocks.ts'
import { escapeHtml } from '../html.ts'

/** What a part's figures.ts gives its words: the values in the text, the figures, the sections it calls for. */
export interface Filling {
  readonly values?: Readonly<Record<string, string | number>>
  readonly figures?: Readonly<Record<string, Block | readonly Block[]>>
  readonly when?: Readonly<Record<string, boolean>>
  /** For each `::: each name`: one filling per time round, its values, figures and conditions over the page's. */
  readonly each?: Readonly<Record<string, readonly Filling[]>>
}

/** The page's title (plain text), lead paragraph (HTML) and blocks, from its page.md. */
export interface Words {
  readonly title: string
  readonly intro: string
  readonly blocks: readonly Block[]
}

/** A mistake in a page.md or in what its figures.ts gives it, with the part it is in. */
export class WordsError extends Error {
  constructor(part: string, detail: string) {
    super(`${part}/page.md: ${detail}`)
    this.name = 'WordsError'
  }
}

const md = new MarkdownIt({ html: true, linkify: false, typographer: false })
/** Only what HTML needs escaped: the text of page.md is written as HTML would show it. */
const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

const DIRECTIVE = /^::: (figure|if|each|end)(?: ([A-Za-z][A-Za-z0-9]*))?\s*$/

type Node =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'figure'; readonly name: string; readonly line: number }
  | { readonly kind: 'if' | 'each'; readonly name: string; readonly line: number; readonly body: Node[] }

/** The lines of page.md as a tree: text lines, figure slots, and the lines inside each `::: if` and `::: each`. */
const directives = (part: string, source: string): Node[] => {
  const root: Node[] = []
  const open: Extract<Node, { body: Node[] }>[] = []
  const into = () => open[open.length - 1]?.body ?? root
  source.split('\n').forEach((text, i) => {
    const d = DIRECTIVE.exec(text)
    if (d === null) {
      if (text.startsWith(':::')) throw new WordsError(part, `line ${i + 1}: unknown directive '${text}'`)
      into().push({ kind: 'line', text })
      return
    }
    const [, kind, name] = d
    if (kind === 'end') {
      if (open.pop() === undefined)
        throw new WordsError(part, `line ${i + 1}: '::: end' without '::: if' or '::: each'`)
      return
    }
    if (name === undefined) throw new WordsError(part, `line ${i + 1}: '::: ${kind}' needs a name`)
    if (kind === 'figure') {
      into().push({ kind: 'figure', name, line: i + 1 })
      return
    }
    const node = { kind: kind as 'if' | 'each', name, line: i + 1, body: [] }
    into().push(node)
    open.push(node)
  })
  if (open.length > 0)
    throw new WordsError(part, `line ${open[0].line}: '::: ${open[0].kind}' is not closed by '::: end'`)
  return root
}

type Piece =
  | { readonly kind: 'text'; readonly source: string; readonly values: Readonly<Record<string, string | number>> }
  | { readonly kind: 'figure'; readonly blocks: readonly Block[] }

/** The tree with its conditions decided, its loops run and its figures found: text and figures in page order. */
const expand = (part: string, nodes: readonly Node[], filling: Filling, out: Piece[] = []): Piece[] => {
  const values = filling.values ?? {}
  let text: string[] = []
  const flush = () => {
    if (text.some((l) => l.trim() !== '')) out.push({ kind: 'text', source: text.join('\n'), values })
    text = []
  }
  for (const n of nodes) {
    if (n.kind === 'line') {
      text.push(n.text)
      continue
    }
    flush()
    if (n.kind === 'figure') {
      const figure = filling.figures?.[n.name]
      if (figure === undefined) throw new WordsError(part, `line ${n.line}: no figure '${n.name}' from figures.ts`)
      out.push({ kind: 'figure', blocks: Array.isArray(figure) ? figure : [figure as Block] })
    } else if (n.kind === 'if') {
      const holds = filling.when?.[n.name]
      if (holds === undefined) throw new WordsError(part, `line ${n.line}: no condition '${n.name}' from figures.ts`)
      if (holds) expand(part, n.body, filling, out)
    } else {
      const items = filling.each?.[n.name]
      if (items === undefined) throw new WordsError(part, `line ${n.line}: no list '${n.name}' from figures.ts`)
      for (const item of items)
        expand(
          part,
          n.body,
          {
            values: { ...values, ...item.values },
            figures: { ...filling.figures, ...item.figures },
            when: { ...filling.when, ...item.when },
            each: { ...filling.each, ...item.each },
          },
          out,
        )
    }
  }
  flush()
  return out
}

/** Puts each `{{name}}` of a piece of text in its place. */
const fill = (part: string, text: string, values: Readonly<Record<string, string | number>>): string =>
  text.replace(/\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g, (_, name: string) => {
    const v = values[name]
    if (v === undefined) throw new WordsError(part, `no value '${name}' from figures.ts`)
    return String(v)
  })

/** The plain text of an inline token, its values filled in. */
const plainText = (part: string, inline: Token, values: Readonly<Record<string, string | number>>): string =>
  fill(part, (inline.children ?? []).map((c: Token) => c.content).join(''), values)

/** What rendering carries: the part (for errors) and the values of its `{{name}}`s. */
interface Fill extends Env {
  readonly part: string
  readonly values: Readonly<Record<string, string | number>>
}
const filled = (env: Env | undefined, text: string): string => {
  const { part, values } = env as Fill
  return fill(part, text, values)
}
md.renderer.rules.text = (tokens, idx, _options, env) => filled(env, escapeText(tokens[idx].content))
md.renderer.rules.html_inline = (tokens, idx, _options, env) => filled(env, tokens[idx].content)
md.renderer.rules.html_block = md.renderer.rules.html_inline
md.renderer.rules.softbreak = () => ' '

/** An id at the end of a heading as written: ` {#id}`, which may hold values (`{#run-{{name}}}`). */
const ID_SUFFIX = / \{#((?:[a-z0-9-]|\{\{[A-Za-z][A-Za-z0-9]*\}\})+)\}$/

/**
 * Gives each heading its id (written, or for a section made from its words) and the paragraph
 * under a section's heading the class "look". A section's heading is plain text, escaped as a
 * whole; a sub-heading is rendered as written (it may hold HTML).
 */
const shapeSections = (part: string, tokens: Token[], values: Readonly<Record<string, string | number>>): void => {
  tokens.forEach((t, i) => {
    if (t.type === 'paragraph_open' && tokens[i - 1]?.type === 'heading_close' && tokens[i - 1].tag === 'h2')
      t.attrSet('class', 'look')
    if (t.type !== 'heading_open' || (t.tag !== 'h2' && t.tag !== 'h3')) return
    const inline = tokens[i + 1]
    const children = inline.children ?? []
    const last = children[children.length - 1]
    if (last === undefined) return
    const id = last.type === 'text' ? ID_SUFFIX.exec(last.content) : null
    if (id !== null) {
      t.attrSet('id', fill(part, id[1], values))
      last.content = last.content.slice(0, id.index)
    }
    if (t.tag === 'h3') return
    const text = plainText(part, inline, values)
    if (id === null) t.attrSet('id', slug(text))
    last.type = 'html_inline'
    last.content = escapeHtml(text)
    inline.children = [last]
  })
}

/**
 * A part's page from its page.md and what its figures.ts computed: the title and lead from the
 * top, then the sections' HTML and the figures in the order page.md places them.
 */
export const renderWords = (part: string, source: string, filling: Filling): Words => {
  let title: string | undefined
  let intro: string | undefined
  const blocks: Block[] = []
  for (const p of expand(part, directives(part, source), filling)) {
    if (p.kind === 'figure') {
      blocks.push(...p.blocks)
      continue
    }
    const { values } = p
    const tokens = md.parse(p.source, {})
    if (title === undefined) {
      const [h1, inline, , open, lead] = tokens
      if (h1?.type !== 'heading_open' || h1.tag !== 'h1' || open?.type !== 'paragraph_open')
        throw new WordsError(part, 'it must begin with a # title and the paragraph under it')
      title = plainText(part, inline, values)
      intro = md.renderer.renderInline(lead.children ?? [], md.options, { part, values })
      tokens.splice(0, 6)
    }
    shapeSections(part, tokens, values)
    const html = md.renderer.render(tokens, md.options, { part, values }).replace(/\n$/, '')
    if (html !== '') blocks.push({ kind: 'html', html })
  }
  if (title === undefined || intro === undefined) throw new WordsError(part, 'it has no # title')
  return { title, intro, blocks }
}
