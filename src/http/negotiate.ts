/**
 * The formats a schedule answer comes in, and which one an `Accept` header asks for.
 * A `format` query parameter, where given, decides instead (see answer.ts).
 */

/** The media type of each format, in the server's order of preference. */
export const mediaTypes = {
  json: 'application/json',
  csv: 'text/csv',
  npy: 'application/x-npy',
  arrow: 'application/vnd.apache.arrow.stream',
  svg: 'image/svg+xml'
} as const

export type Format = keyof typeof mediaTypes

export const formats = Object.keys(mediaTypes) as Format[]

interface MediaRange {
  type: string
  subtype: string
  q: number
}

/** `type/subtype;q=0.5, ...` as ranges; a range that is not `type/subtype` is skipped. */
function parseAccept (accept: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of accept.split(',')) {
    const [mediaType, ...parameters] = part.split(';')
    const match = /^\s*([\w.+*!#$&^`|~-]+)\/([\w.+*!#$&^`|~-]+)\s*$/.exec(mediaType)
    if (match === null) continue
    let q = 1
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=').map((text) => text.trim())
      // A q that is not a number in [0, 1] (RFC 9110 §12.4.2) leaves the range at q=1.
      if (name.toLowerCase() === 'q' && /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value ?? '')) q = Number(value)
    }
    ranges.push({ type: match[1].toLowerCase(), subtype: match[2].toLowerCase(), q })
  }
  return ranges
}

/** The q an Accept header gives `mediaType`: that of its most specific matching range, 0 if none. */
function qualityOf (ranges: readonly MediaRange[], mediaType: string): number {
  const [type, subtype] = mediaType.split('/')
  let best = -1
  let q = 0
  for (const range of ranges) {
    const specificity = range.type === type && range.subtype === subtype
      ? 2
      : range.type === type && range.subtype === '*'
        ? 1
        : range.type === '*' && range.subtype === '*' ? 0 : -1
    if (specificity > best) {
      best = specificity
      q = range.q
    }
  }
  return q
}

/**
 * The format an `Accept` header asks for (RFC 9110 §12.5.1): each format gets the q
 * of the most specific range that matches its media type (`text/csv`, then `text/*`,
 * then the any-type range); the highest q wins, and a tie goes to the server's order (JSON first).
 * No header, or no format acceptable (`Accept: text/html`): JSON, the default, as if
 * the header had not been sent.
 */
export function negotiateFormat (accept: string | undefined): Format {
  if (accept === undefined || accept.trim() === '') return 'json'
  const ranges = parseAccept(accept)
  let chosen: Format = 'json'
  let highest = 0
  for (const format of formats) {
    const q = qualityOf(ranges, mediaTypes[format])
    if (q > highest) {
      highest = q
      chosen = format
    }
  }
  return chosen
}
