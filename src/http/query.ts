/**
 * A GET route's query string as the body of the same request: each value is read
 * by walking the zod schema of its field (numbers, booleans, comma-separated lists
 * and tuples), `lr` / `lr_scale` / `initial_lr` become one param group, and the
 * result is checked by the body's own schema, so GET and POST accept exactly the
 * same configurations and report a bad field at the same name. `format` and
 * `log_scale` say how to write the answer: they are read apart from the body, and
 * are all a POST route's query may hold.
 */
import { z } from 'zod'
import type { AnySchedulerDefinition } from '../schedules/core/define.js'
import { type OutputOptions, outputQuerySchema, outputShape, planQueryShape, planRequestSchema, queryShape, type QueryMode } from './schemas.js'
import { type FieldError, InvalidRequest, issuePath } from './problem.js'

export type { QueryMode }

type Raw = string | string[] | undefined

/** The kinds of value a query can spell, found by unwrapping zod's wrappers. */
type Reader = (text: string, path: string) => unknown

class Unreadable extends Error {
  constructor (readonly path: string, message: string) {
    super(message)
  }
}

/**
 * A decimal number as JSON writes it (`1e-5`, `.5` and `+3` are accepted too);
 * nothing else. Each part can match in one way only, so a long non-number fails in
 * linear time.
 */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

function readNumber (text: string, path: string): number {
  const value = Number(text)
  if (!NUMBER.test(text) || !Number.isFinite(value)) {
    throw new Unreadable(path, `${quoted(text)} is not a number`)
  }
  return value
}

/** A value as the problem quotes it: the first characters of a long one. */
function quoted (text: string): string {
  return text.length > 40 ? `${JSON.stringify(text.slice(0, 40))}... (${text.length} characters)` : JSON.stringify(text)
}

function readBoolean (text: string, path: string): boolean {
  if (text === 'true') return true
  if (text === 'false') return false
  throw new Unreadable(path, `${quoted(text)} is not a boolean (true or false)`)
}

function splitList (text: string): string[] {
  return text === '' ? [] : text.split(',')
}

/** How to read one field's text, from its zod schema. */
function readerOf (schema: z.core.$ZodType): Reader {
  const def = schema._zod.def as any
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
      return readerOf(def.innerType)
    case 'nullable': {
      const inner = readerOf(def.innerType)
      return (text, path) => text === 'null' ? null : inner(text, path)
    }
    case 'number':
      return readNumber
    case 'boolean':
      return readBoolean
    case 'array': {
      const element = readerOf(def.element)
      return (text, path) => splitList(text).map((item, i) => element(item, `${path}/${i}`))
    }
    case 'tuple': {
      const items: Reader[] = def.items.map(readerOf)
      // Read what is there; the schema then says whether the length is right.
      return (text, path) => splitList(text).map((item, i) => (items[i] ?? ((s: string) => s))(item, `${path}/${i}`))
    }
    case 'union': {
      // A number or a list (noise_range_t=10 or noise_range_t=10,40): a comma decides.
      // Several list options (lr_noise: one fraction or a pair) are told apart by how
      // many items the text holds: the tuple of that length, else an array.
      const options: z.core.$ZodType[] = def.options
      const isList = (option: z.core.$ZodType) => ['array', 'tuple'].includes((option._zod.def as any).type)
      const lists = options.filter(isList).map((option) => {
        const listDef = option._zod.def as any
        return { length: listDef.type === 'tuple' ? listDef.items.length as number : undefined, read: readerOf(option) }
      })
      const scalar = options.find((option) => !isList(option))
      const readScalar = scalar !== undefined ? readerOf(scalar) : undefined
      const readList = (text: string): Reader | undefined => {
        const items = splitList(text).length
        return (lists.find((list) => list.length === items) ?? lists.find((list) => list.length === undefined) ?? lists[0])?.read
      }
      return (text, path) => {
        const read = (text.includes(',') ? readList(text) : readScalar) ?? readList(text) ?? readScalar
        return read!(text, path)
      }
    }
    default:
      // Strings, enums and literals are taken as written; the schema judges them.
      return (text) => text
  }
}

/** How one GET route's query becomes a body: its fields' readers and what it may not hold. */
export interface QueryForm {
  readers: Map<string, Reader>
  /** The fields of the one param group a query spells (`lr`, `lr_scale`, `initial_lr`). */
  groupFields: ReadonlySet<string>
  /** Fields a query may not hold, with the reason. */
  refused: Readonly<Record<string, string>>
  /** What the body holds whatever the query says (the scheduler, named by the path). */
  base: Readonly<Record<string, unknown>>
  /** The body's schema. */
  schema: z.ZodType
  mode: QueryMode | 'plan'
}

const noParamGroups = 'param_groups cannot be written in a query: give lr (with the group\'s other fields) for one group, or POST the body'

/** Fields a query may not hold: they have no query spelling, or belong to the other GET route. */
const refused: Record<QueryMode, Record<string, string>> = {
  range: {
    param_groups: noParamGroups,
    scheduler: 'the scheduler is named by the path, not by the query',
    t: 't belongs to GET /v1/schedules/{scheduler}/lr; this route takes start and count'
  },
  point: {
    param_groups: noParamGroups,
    scheduler: 'the scheduler is named by the path, not by the query',
    start: 'this route answers one step: give t, not start',
    count: 'this route answers one step: give t, not count'
  }
}

function readersOf (shape: z.ZodRawShape): Map<string, Reader> {
  return new Map(Object.entries(shape).map(([field, schema]) => [field, readerOf(schema as z.core.$ZodType)]))
}

/** The query form of a scheduler's GET route. */
export function scheduleQueryForm (definition: AnySchedulerDefinition, schema: z.ZodType, mode: QueryMode): QueryForm {
  return {
    readers: readersOf(queryShape(definition, mode)),
    groupFields: new Set(Object.keys(definition.groupShape)),
    refused: refused[mode],
    base: { scheduler: definition.name },
    schema,
    mode
  }
}

/** The query form of `GET /v1/plans`. */
export function planQueryForm (): QueryForm {
  return {
    readers: readersOf(planQueryShape()),
    groupFields: new Set(['lr', 'lr_scale', 'initial_lr']),
    refused: { param_groups: noParamGroups },
    base: {},
    schema: planRequestSchema,
    mode: 'plan'
  }
}

/** The fields that say how to write the answer rather than what to compute. */
const outputFields = new Set(Object.keys(outputShape))

/** A validated GET query: the request it stands for, and how to write the answer. */
export interface QueryValue {
  request: any
  output: OutputOptions
}

/**
 * The body the query stands for, and its `format` and `log_scale` as `output`;
 * unreadable values are reported, not guessed.
 */
export function queryToBody (form: QueryForm, query: Record<string, Raw>): { body: Record<string, unknown>, output: Record<string, unknown>, errors: FieldError[], unread: Set<string> } {
  const { mode, readers: fieldReaders } = form
  const output: Record<string, unknown> = {}
  const errors: FieldError[] = []
  /** The fields left out of the body because they could not be read (or may not be given). */
  const unread = new Set<string>()
  // No prototype: a key such as __proto__ or constructor is a plain (unknown) field here.
  const body: Record<string, unknown> = Object.assign(Object.create(null), form.base)
  const group: Record<string, unknown> = {}
  for (const [field, raw] of Object.entries(query)) {
    if (raw === undefined) continue
    const path = `/${field}`
    if (Object.hasOwn(form.refused, field)) {
      errors.push({ path, message: form.refused[field] })
      unread.add(path)
      continue
    }
    const read = fieldReaders.get(field)
    if (read === undefined) {
      // Unknown: the body's schema names it, with the parameters the scheduler takes.
      body[field] = raw
      continue
    }
    // A list may also be written by repeating its name (decay_t=30&decay_t=60).
    const text = Array.isArray(raw) ? raw.join(',') : raw
    let value: unknown
    try {
      value = read(text, path)
    } catch (error) {
      if (!(error instanceof Unreadable)) throw error
      errors.push({ path: error.path, message: error.message })
      unread.add(field === 't' ? '/t' : path)
      continue
    }
    if (outputFields.has(field)) output[field] = value
    else if (form.groupFields.has(field)) group[field] = value
    else if (field === 't') {
      body.start = value
      body.count = 1
    } else body[field] = value
  }
  if (Object.keys(group).some((field) => field !== 'lr')) body.param_groups = [group]
  else if (group.lr !== undefined) body.lr = group.lr
  if (mode === 'point' && !('t' in query)) {
    errors.push({ path: '/t', message: 't is required: the step to answer' })
    unread.add('/t')
  }
  return { body, output, errors, unread }
}

/** A path in the body as the query spells it: the one group's fields by their own names, start as t. */
function queryPath (path: string, mode: QueryForm['mode']): string {
  const group = /^\/param_groups(?:\/0)?(\/.*)?$/.exec(path)
  if (group !== null) return group[1] ?? '/lr'
  if (mode === 'point' && (path === '/start' || path === '/count')) return '/t'
  return path
}

/**
 * A fastify validator for a GET route's query: reads it into a body, checks it with
 * the body's schema, and answers the validated body (the handler's `request.query`).
 */
export function queryValidator (form: QueryForm) {
  const { schema, mode } = form
  return (query: unknown): { value: QueryValue } | { error: Error } => {
    const { body, output, errors, unread } = queryToBody(form, (query ?? {}) as Record<string, Raw>)
    const result = schema.safeParse(body)
    const options = outputSchema.safeParse(output)
    if (errors.length === 0 && result.success && options.success) return { value: { request: result.data, output: options.data } }
    const issues = [...(result.success ? [] : result.error.issues), ...(options.success ? [] : options.error.issues)]
    for (const issue of issues) {
      for (const error of issuePath(issue)) {
        const path = queryPath(error.path, mode)
        // A field already reported as unreadable is not reported again as missing.
        if (![...unread].some((p) => path === p || path.startsWith(`${p}/`))) errors.push({ path, message: error.message })
      }
    }
    return { error: new InvalidRequest(errors, 'querystring') }
  }
}

const outputSchema = z.object(outputShape)

const outputReaders = new Map(Object.entries(outputShape).map(([field, schema]) => [field, readerOf(schema as z.core.$ZodType)]))

/**
 * A fastify validator for a POST route's query: `format` and `log_scale`, read as a
 * GET route reads them; any other name is refused, as a body's unknown field is.
 */
export function outputValidator () {
  return (query: unknown): { value: OutputOptions } | { error: Error } => {
    const errors: FieldError[] = []
    const output: Record<string, unknown> = Object.create(null)
    for (const [field, raw] of Object.entries((query ?? {}) as Record<string, Raw>)) {
      if (raw === undefined) continue
      const read = outputReaders.get(field)
      if (read === undefined) {
        errors.push({ path: `/${field}`, message: `unknown query parameter ${field}; this route takes ${[...outputReaders.keys()].join(', ')} in its query, and the request in its body` })
        continue
      }
      try {
        output[field] = read(Array.isArray(raw) ? raw.join(',') : raw, `/${field}`)
      } catch (error) {
        if (!(error instanceof Unreadable)) throw error
        errors.push({ path: error.path, message: error.message })
      }
    }
    const result = outputQuerySchema.safeParse({ ...output })
    if (errors.length === 0 && result.success) return { value: result.data }
    for (const issue of result.success ? [] : result.error.issues) {
      for (const error of issuePath(issue)) if (!errors.some((known) => known.path === error.path)) errors.push(error)
    }
    return { error: new InvalidRequest(errors, 'querystring') }
  }
}
