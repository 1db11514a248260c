// The playground: forms generated from the service's registry (GET /v1/schedulers)
// and OpenAPI document, a chart the service draws, and the request as curl, as the
// library's Python and as the drop-in client's. Two modes: one scheduler
// (POST /v1/schedules), or a whole timm train.py run (POST /v1/plans).
// Plain browser module, no build step, nothing loaded from elsewhere. Runs under a
// strict CSP: no inline scripts or handlers, the chart is inserted as SVG nodes.

const api = {
  openapi: new URL('openapi.json', document.baseURI),
  schedulers: new URL('v1/schedulers', document.baseURI),
  snippets: new URL('v1/snippets', document.baseURI),
  schedules: new URL('v1/schedules', document.baseURI),
  plans: new URL('v1/plans', document.baseURI)
}

/** Fields the page lays out itself; every other property is a parameter. */
const OWN_LAYOUT = new Set(['scheduler', 'lr', 'param_groups', 'unit', 'start', 'count', 'view', 'metrics'])

/** A plan's window: the page always draws and downloads the whole run. */
const PLAN_WINDOW = new Set(['start', 'count', 'epoch_start', 'epoch_count'])

/** train.py's arguments that say how long the run is, shown first. */
const PLAN_RUN = ['sched', 'epochs', 'updates_per_epoch', 'sched_on_updates']

/** How long typing pauses before the curve is redrawn, in ms. */
const DEBOUNCE = 250

/** Rows of the values table shown from the start and from the end. */
const HEAD_ROWS = 8
const TAIL_ROWS = 3

/** How the libraries are named in the picker. */
const LIBRARY_LABELS = { timm: 'timm', torch: 'torch.optim', transformers: 'transformers' }

/**
 * timm's scheduler_kwargs(): train.py's argument → create_scheduler_v2's keyword, and
 * create_scheduler_v2's own defaults (timm/scheduler/scheduler_factory.py), so that
 * the call shown passes what differs from them.
 */
const SCHEDULER_V2 = [
  ['sched', 'sched', 'cosine'],
  ['epochs', 'num_epochs', 300],
  ['decay_epochs', 'decay_epochs', 90],
  ['decay_milestones', 'decay_milestones', [90, 180, 270]],
  ['cooldown_epochs', 'cooldown_epochs', 0],
  ['patience_epochs', 'patience_epochs', 10],
  ['decay_rate', 'decay_rate', 0.1],
  ['min_lr', 'min_lr', 0],
  ['warmup_lr', 'warmup_lr', 1e-5],
  ['warmup_epochs', 'warmup_epochs', 0],
  ['warmup_prefix', 'warmup_prefix', false],
  ['lr_noise', 'noise', null],
  ['lr_noise_pct', 'noise_pct', 0.67],
  ['lr_noise_std', 'noise_std', 1],
  ['seed', 'noise_seed', 42],
  ['lr_cycle_mul', 'cycle_mul', 1],
  ['lr_cycle_decay', 'cycle_decay', 0.1],
  ['lr_cycle_limit', 'cycle_limit', 1],
  ['lr_k_decay', 'k_decay', 1]
]

const $ = (selector, root = document) => root.querySelector(selector)
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)]

const state = {
  /** Scheduler name → its spec (registry entry and request schema). */
  schedulers: new Map(),
  /** The plan's spec, from POST /v1/plans' body schema. */
  plan: null,
  /** What the form shows: a scheduler's spec or the plan's. */
  spec: null,
  /** The scheduler last shown in schedule mode. */
  scheduler: '',
  /** Spec key → the form's text per field, kept while another is shown. */
  memory: new Map(),
  /** The param groups: text per group field. */
  groups: [],
  /** A counter that retires stale answers, and the request in flight. */
  sequence: 0,
  controller: null,
  timer: 0
}

// ---------------------------------------------------------------- the documents

/** `$ref`s resolved against the document. */
function resolve (doc, schema) {
  let out = schema
  for (let depth = 0; out && out.$ref && depth < 32; depth++) {
    out = out.$ref.replace(/^#\//, '').split('/').reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  }
  return out ?? {}
}

/** The leaf options of a schema: nested anyOf/oneOf flattened, `type: [a, b]` split. */
function alternatives (doc, schema) {
  const resolved = resolve(doc, schema)
  const list = resolved.anyOf ?? resolved.oneOf
  if (list) return list.flatMap((option) => alternatives(doc, option))
  if (Array.isArray(resolved.type)) return resolved.type.map((type) => ({ ...resolved, type }))
  return [resolved]
}

/** What the form needs to know of one property. */
function describeField (doc, name, raw) {
  const schema = resolve(doc, raw)
  const all = alternatives(doc, schema)
  const options = all.filter((option) => option.type !== 'null')
  const field = {
    name,
    description: schema.description ?? options.find((option) => option.description)?.description ?? '',
    default: schema.default,
    hasDefault: 'default' in schema,
    nullable: all.some((option) => option.type === 'null'),
    kind: 'text',
    integer: false,
    bounds: []
  }
  const first = options[0] ?? {}
  const types = new Set(options.map((option) => option.type))
  if (options.length === 1 && (first.const !== undefined || first.enum?.length === 1)) {
    field.kind = 'const'
    field.value = first.const ?? first.enum[0]
  } else if (options.length === 1 && Array.isArray(first.enum)) {
    field.kind = 'enum'
    field.values = first.enum
  } else if (options.length === 1 && first.type === 'boolean') {
    field.kind = 'boolean'
  } else if (options.length === 1 && (first.type === 'number' || first.type === 'integer')) {
    field.kind = 'number'
    field.integer = first.type === 'integer'
    field.bounds = bounds(first)
  } else if (options.length === 1 && first.type === 'array') {
    const items = alternatives(doc, first.items ?? first.prefixItems?.[0] ?? {})
    if (items.every((item) => item.type === 'number' || item.type === 'integer')) {
      field.kind = 'list'
      field.integer = items.every((item) => item.type === 'integer')
      field.bounds = items.length === 1 ? bounds(items[0]) : []
    } else {
      field.kind = 'json'
    }
  } else if (types.has('array') && [...types].every((type) => ['number', 'integer', 'array'].includes(type))) {
    // noise_range_t (a step or a pair), max_lr (one or one per group).
    field.kind = 'number-or-list'
  } else if (options.length === 1 && first.type === 'string') {
    field.kind = 'text'
  } else {
    field.kind = 'json'
  }
  return field
}

/** `≥ 0`, `> 0`, `≤ 1` from a number schema, leaving out zod's safe-integer limits. */
function bounds (schema) {
  const out = []
  const safe = (value) => typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER
  if (safe(schema.exclusiveMinimum)) out.push(`> ${schema.exclusiveMinimum}`)
  else if (safe(schema.minimum)) out.push(`≥ ${schema.minimum}`)
  if (safe(schema.exclusiveMaximum)) out.push(`< ${schema.exclusiveMaximum}`)
  else if (safe(schema.maximum)) out.push(`≤ ${schema.maximum}`)
  return out
}

/** A body schema's fields and param-group fields, in the document's order. */
function fieldsOf (doc, schema) {
  const properties = {}
  for (const [key, value] of Object.entries(schema.properties ?? {})) properties[key] = describeField(doc, key, value)
  const groupsSchema = resolve(doc, schema.properties?.param_groups)
  const groupItem = resolve(doc, groupsSchema.items)
  const groupFields = Object.entries(groupItem.properties ?? { lr: {} }).map(([key, value]) => describeField(doc, key, value))
  groupFields.sort((a, b) => (a.name === 'lr' ? -1 : b.name === 'lr' ? 1 : 0))
  return { properties, required: new Set(schema.required ?? []), groupFields }
}

/**
 * Every scheduler of the registry, in its order, with the request schema the
 * document gives it (the variant of POST /v1/schedules' body whose `scheduler` is its name).
 */
function readSchedulers (doc, listing) {
  const body = doc.paths?.['/v1/schedules']?.post?.requestBody?.content?.['application/json']?.schema
  if (!body) throw new Error('the OpenAPI document has no request body for POST /v1/schedules')
  const root = resolve(doc, body)
  const variants = new Map()
  for (const option of root.oneOf ?? root.anyOf ?? [root]) {
    const variant = resolve(doc, option)
    const tag = resolve(doc, variant.properties?.scheduler)
    const name = tag.const ?? tag.enum?.[0]
    if (typeof name === 'string') variants.set(name, variant)
  }
  const specs = new Map()
  for (const entry of listing.schedulers ?? []) {
    const variant = variants.get(entry.name)
    if (!variant) continue
    specs.set(entry.name, {
      mode: 'schedule',
      key: `schedule:${entry.name}`,
      ...entry,
      description: variant.description ?? entry.summary,
      examples: [{ summary: entry.example.summary, value: entry.example.value }],
      ...fieldsOf(doc, variant)
    })
  }
  if (specs.size === 0) throw new Error('GET /v1/schedulers lists no scheduler the document describes')
  return specs
}

/** The plan: train.py's arguments, from POST /v1/plans' body schema, and its examples. */
function readPlan (doc) {
  const body = doc.paths?.['/v1/plans']?.post?.requestBody?.content?.['application/json']?.schema
  if (!body) return null
  const schema = resolve(doc, body)
  const fields = fieldsOf(doc, schema)
  for (const name of PLAN_WINDOW) delete fields.properties[name]
  const media = doc.paths['/v1/plans'].post.requestBody.content['application/json']
  const examples = Object.values(media.examples ?? schema['x-examples'] ?? {}).map(({ summary, value }) => ({
    // The page draws the whole run: the example's window (and what its summary says of it) is left out.
    summary: summary.split(/:\s/)[0],
    title: summary,
    value: Object.fromEntries(Object.entries(value).filter(([key]) => !PLAN_WINDOW.has(key)))
  }))
  // Shortest run first: the page starts from a plan drawn at once.
  const length = (value) => (value.epochs ?? 300) * (value.updates_per_epoch ?? 1)
  examples.sort((a, b) => length(a.value) - length(b.value))
  return { mode: 'plan', key: 'plan', name: 'plan', library: 'timm', description: schema.description ?? '', examples, ...fields }
}

// ---------------------------------------------------------------- numbers

/** Python's repr of a number (`1e-05`, `0.0001`, `5`), as a Python user writes it. */
function pythonNumber (value) {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "float('nan')" : value > 0 ? "float('inf')" : "-float('inf')"
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 53) return String(value)
  const [mantissa, exponentText] = value.toExponential().split('e')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  const text = String(value)
  return text.includes('.') ? text : `${text}.0`
}

/** A JSON value as a Python literal. */
function python (value) {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return pythonNumber(value)
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  if (Array.isArray(value)) return `[${value.map((item) => python(item)).join(', ')}]`
  return `{${Object.entries(value).map(([key, item]) => `${python(key)}: ${python(item)}`).join(', ')}}`
}

/** A typed number, or the text itself so that the API names what is wrong with it. */
function readNumber (text) {
  const trimmed = String(text ?? '').trim()
  if (trimmed === '') return undefined
  if (trimmed === 'null' || trimmed === 'None') return null
  const value = Number(trimmed)
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) && Number.isFinite(value) ? value : trimmed
}

function readList (text) {
  const trimmed = String(text ?? '').trim()
  if (trimmed === '') return undefined
  if (trimmed.startsWith('[')) {
    try { return JSON.parse(trimmed) } catch { return trimmed }
  }
  return trimmed.split(/[\s,;]+/).filter(Boolean).map(readNumber)
}

/** `[{...}, {...}]` one item a line: a list of nested configurations, readable. */
function jsonText (value) {
  if (Array.isArray(value) && value.some((item) => item !== null && typeof item === 'object')) {
    return `[\n${value.map((item) => `  ${JSON.stringify(item)}`).join(',\n')}\n]`
  }
  return JSON.stringify(value)
}

/** A body value as the form's text. */
function textOf (field, value) {
  if (value === undefined) return ''
  if (field.kind === 'boolean') return value
  if (value === null) return field.nullable ? '' : 'null'
  if (field.kind === 'json') return jsonText(value)
  if (Array.isArray(value)) return field.kind === 'number-or-list' && value.length === 1 ? `[${value[0]}]` : value.join(', ')
  return String(value)
}

function show (value) {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
}

function grouped (value) {
  return Number(value).toLocaleString('en-US')
}

// ---------------------------------------------------------------- the form

function element (tag, attributes = {}, children = []) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'text') node.textContent = value
    else node.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children) node.append(child)
  return node
}

/** The hint under a field: its description, default and range. */
function hintText (field, required) {
  const facts = []
  if (required) facts.push('required')
  else if (field.hasDefault) facts.push(`default ${field.default === null ? 'none' : show(field.default)}`)
  if (field.integer) facts.push(field.kind === 'list' ? 'integers' : 'integer')
  facts.push(...field.bounds)
  if (field.kind === 'number-or-list') facts.push('a number or a list')
  if (field.kind === 'json') facts.push('JSON')
  return [field.description, facts.length ? `(${facts.join(', ')})` : ''].filter(Boolean).join(' ')
}

/** One labelled control for `field`, with its hint and a place for the API's error. */
function fieldControl (field, required, value) {
  const id = `input-${field.name}`
  const hintId = `hint-${field.name}`
  const errorId = `error-${field.name}`
  const wrapper = element('div', { class: 'field', 'data-field': field.name })
  const describedBy = `${errorId} ${hintId}`
  let control
  if (field.kind === 'boolean') {
    control = element('input', { type: 'checkbox', id, name: field.name, 'aria-describedby': describedBy })
    control.checked = typeof value === 'boolean' ? value : field.default ?? false
    wrapper.append(element('label', { class: 'inline', for: id }, [control, element('span', { class: 'name', text: field.name })]))
  } else if (field.kind === 'enum') {
    control = element('select', { id, name: field.name, 'aria-describedby': describedBy })
    // An optional choice with no default (plateau_mode) can be left unset.
    if (!field.hasDefault && !required) control.append(element('option', { value: '', text: '(not set)' }))
    for (const option of field.values) control.append(element('option', { value: option, text: option }))
    control.value = value || (field.default ?? (required ? field.values[0] : ''))
    wrapper.append(element('label', { for: id, text: field.name }), control)
  } else {
    const multiline = field.kind === 'json' || field.name === 'metrics'
    const placeholder = field.hasDefault && field.default !== null ? show(field.default) : field.nullable || field.hasDefault ? 'none' : ''
    control = element(multiline ? 'textarea' : 'input', {
      id,
      name: field.name,
      type: multiline ? undefined : 'text',
      rows: field.kind === 'json' ? Math.min(10, Math.max(4, String(value ?? '').split('\n').length + 1)) : multiline ? 3 : undefined,
      wrap: field.kind === 'json' ? 'off' : undefined,
      inputmode: field.kind === 'number' ? (field.integer ? 'numeric' : 'decimal') : undefined,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder,
      'aria-required': required ? 'true' : undefined,
      'aria-describedby': describedBy
    })
    control.value = typeof value === 'string' ? value : ''
    wrapper.append(element('label', { for: id, text: field.name }), control)
  }
  control.dataset.kind = field.kind
  wrapper.append(element('p', { class: 'error', id: errorId, hidden: true }))
  wrapper.append(element('p', { class: 'hint', id: hintId, text: hintText(field, required) }))
  return wrapper
}

/** Where a parameter goes: the families of fields, the folded ones last. */
const FAMILIES = ['Run', 'Schedule', 'Warmup', 'Noise', 'Momentum', 'Resuming']
const FOLDED = new Set(['Noise', 'Momentum', 'Resuming'])

function familyOf (spec, name) {
  if (spec.mode === 'plan') {
    if (PLAN_RUN.includes(name)) return 'Run'
    if (name.startsWith('warmup_')) return 'Warmup'
    if (name.startsWith('lr_noise') || name === 'seed') return 'Noise'
    return 'Schedule'
  }
  if (name.startsWith('warmup_')) return 'Warmup'
  if (name.startsWith('noise_')) return 'Noise'
  if (name.includes('momentum')) return 'Momentum'
  if (name === 'last_epoch') return 'Resuming'
  return 'Schedule'
}

function familyTitle (spec, family) {
  switch (family) {
    case 'Run': return 'The run'
    case 'Schedule': return spec.mode === 'plan' ? 'Schedule' : `${spec.reference === 'get_scheduler' ? `get_scheduler('${spec.name.replace(/^transformers\./, '')}')` : spec.reference} parameters`
    case 'Noise': return spec.mode === 'plan' ? 'Noise (seeded, as timm draws it)' : 'Noise (seeded, as timm draws it)'
    case 'Momentum': return 'Momentum (not an LR: the service answers LRs only)'
    case 'Resuming': return 'Resuming (last_epoch)'
    default: return family
  }
}

/** The form's text for a body: what an example, a link or the memory holds. */
function textFromBody (spec, body) {
  const values = {}
  for (const field of Object.values(spec.properties)) {
    if (field.name in body) values[field.name] = textOf(field, body[field.name])
  }
  const groups = Array.isArray(body.param_groups)
    ? body.param_groups
    : [{ lr: body.lr }]
  values.param_groups = groups.map((group) => Object.fromEntries(spec.groupFields.map((field) => [field.name, show(group?.[field.name])])))
  return values
}

function buildForm (spec, values) {
  state.spec = spec
  if (spec.mode === 'schedule') state.scheduler = spec.name
  const schedule = spec.mode === 'schedule'
  $('#picker').hidden = !schedule
  $('#plan-intro').hidden = schedule
  $('#scheduler-description').replaceChildren(...(schedule
    ? [element('strong', { text: spec.reference }), ` (${LIBRARY_LABELS[spec.library] ?? spec.library}): ${spec.summary}`]
    : []))
  buildExamples(spec)

  const families = new Map(FAMILIES.map((family) => [family, []]))
  for (const field of Object.values(spec.properties)) {
    if (OWN_LAYOUT.has(field.name) || field.kind === 'const') continue
    families.get(familyOf(spec, field.name)).push(fieldControl(field, spec.required.has(field.name), values[field.name]))
  }
  const parameters = $('#parameters')
  parameters.replaceChildren()
  for (const [family, controls] of families) {
    if (controls.length === 0) continue
    const fieldset = element('fieldset', { 'data-family': family.toLowerCase() }, [element('legend', { text: familyTitle(spec, family) })])
    fieldset.append(...controls)
    if (FOLDED.has(family)) {
      const details = element('details', { 'data-family': family.toLowerCase(), open: controls.some((control) => isSet(spec.properties[control.dataset.field], values[control.dataset.field])) })
      details.append(element('summary', { text: familyTitle(spec, family) }), fieldset)
      parameters.append(details)
    } else {
      parameters.append(fieldset)
    }
  }

  // The steps: unit, start, count and view (a scheduler); the metrics (both).
  const props = spec.properties
  const slot = (id, name) => $(id).replaceChildren(...(props[name] && props[name].kind !== 'const' && schedule ? [fieldControl(props[name], spec.required.has(name), values[name])] : []))
  slot('#field-start', 'start')
  slot('#field-count', 'count')
  // count's default, as the registry states it: the schedule's own length or the inputs'.
  const count = document.getElementById('input-count')
  if (count && !spec.required.has('count')) count.placeholder = spec.count === 'inputs' ? 'to the last input' : "the schedule's length"
  slot('#field-view', 'view')
  $('#field-metrics').replaceChildren(...(props.metrics ? [fieldControl(props.metrics, spec.required.has('metrics'), values.metrics)] : []))
  const unit = props.unit?.kind === 'enum' ? props.unit : null
  $('#unit-field').hidden = !unit || !schedule
  for (const radio of $$('input[name=unit]')) {
    radio.disabled = !unit?.values.includes(radio.value)
    radio.checked = radio.value === (values.unit || unit?.default || 'epoch')
  }
  $('#hint-unit').textContent = unit?.description ?? ''
  $('#range').querySelector('legend').textContent = schedule ? 'Steps' : 'Eval metrics'
  updateVisibility()

  const groupHints = spec.groupFields.filter((field) => field.name !== 'lr').map((field) => `${field.name}: ${field.description}`)
  $('#groups-hint').textContent = ['The optimizer\'s param groups, each with its base LR.', ...groupHints].join(' ')
  state.groups = (values.param_groups ?? [{}]).map((group) => ({ ...group }))
  renderGroups()
}

/** Whether the form's text for a field sets it to other than its default. */
function isSet (field, value) {
  if (value === undefined || value === '') return false
  if (field.kind === 'boolean') return value !== (field.default ?? false)
  if (field.kind === 'enum') return value !== field.default
  return true
}

/** A plan's metrics are for one sched ("plateau only: ..."), shown when it is picked. */
function updateVisibility () {
  const spec = state.spec
  const metrics = spec.properties.metrics
  let shown = Boolean(metrics)
  if (spec.mode === 'plan' && metrics) {
    const only = /^(\w+) only\b/.exec(metrics.description)?.[1]
    shown = only === undefined || document.getElementById('input-sched')?.value === only
  }
  $('#field-metrics').hidden = !shown
  $('#range').hidden = spec.mode === 'plan' && !shown
}

function buildExamples (spec) {
  const list = $('#example-list')
  list.replaceChildren(...spec.examples.map((example, i) => element('button', {
    type: 'button',
    class: 'chip',
    'data-example': i,
    title: example.title ?? JSON.stringify(example.value),
    text: example.summary
  })))
  $('#examples').hidden = spec.examples.length === 0
}

function renderGroups () {
  const spec = state.spec
  const list = $('#group-list')
  list.replaceChildren()
  const several = state.groups.length > 1
  list.classList.toggle('several', several)
  state.groups.forEach((group, g) => {
    const item = element('li', { class: 'group', 'data-group': g })
    if (several) item.append(element('span', { class: 'group-name', text: `group ${g}` }))
    const fields = element('div', { class: 'group-fields' })
    for (const field of spec.groupFields) {
      const name = `param_groups/${g}/${field.name}`
      fields.append(element('div', { class: 'field', 'data-field': name }, [
        element('label', { for: `input-${name}`, text: field.name }),
        Object.assign(element('input', {
          id: `input-${name}`,
          name,
          type: 'text',
          inputmode: 'decimal',
          autocomplete: 'off',
          placeholder: field.name === 'lr' ? '' : 'none',
          title: field.description,
          'aria-required': field.name === 'lr' ? 'true' : undefined,
          'aria-describedby': `error-${name} groups-hint`
        }), { value: group[field.name] ?? '' }),
        element('p', { class: 'error', id: `error-${name}`, hidden: true })
      ]))
    }
    item.append(fields)
    if (several) item.append(element('button', { type: 'button', class: 'secondary small remove-group', 'data-remove': g, 'aria-label': `Remove param group ${g}`, text: 'Remove' }))
    list.append(item)
  })
}

function syncGroups () {
  const spec = state.spec
  state.groups = state.groups.map((group, g) => Object.fromEntries(spec.groupFields.map((field) => [
    field.name,
    document.getElementById(`input-param_groups/${g}/${field.name}`)?.value ?? group[field.name] ?? ''
  ])))
}

/** The body the form describes, and the fields the page itself cannot read (bad JSON). */
function readBody () {
  const spec = state.spec
  const body = spec.mode === 'schedule' ? { scheduler: spec.name } : {}
  const local = []
  for (const field of Object.values(spec.properties)) {
    if (['scheduler', 'lr', 'param_groups', 'unit'].includes(field.name) || field.kind === 'const') continue
    const control = document.getElementById(`input-${field.name}`)
    if (!control || control.closest('[hidden]')) continue
    const value = readControl(spec, field, control)
    if (value instanceof LocalError) local.push({ path: `/${field.name}`, message: value.message })
    else if (value !== undefined) body[field.name] = value
  }
  const unit = $('input[name=unit]:checked')
  if (!$('#unit-field').hidden && unit && unit.value !== spec.properties.unit?.default) body.unit = unit.value
  syncGroups()
  const groups = state.groups.map((group) => {
    const out = {}
    for (const field of spec.groupFields) {
      const value = readNumber(group[field.name])
      if (value !== undefined) out[field.name] = value
    }
    return out
  })
  if (groups.length === 1 && Object.keys(groups[0]).every((key) => key === 'lr')) {
    if (groups[0].lr !== undefined) body.lr = groups[0].lr
  } else {
    body.param_groups = groups
  }
  return { body: order(body, spec), local }
}

class LocalError {
  constructor (message) { this.message = message }
}

function readControl (spec, field, control) {
  switch (field.kind) {
    case 'boolean':
      return control.checked === (field.default ?? false) ? undefined : control.checked
    case 'enum':
      // train.py's --sched is always written out, as a command line would.
      if (control.value === '') return undefined
      return control.value === field.default && !(spec.mode === 'plan' && field.name === 'sched') ? undefined : control.value
    case 'number':
      return readNumber(control.value)
    case 'list':
      return readList(control.value)
    case 'number-or-list': {
      const text = control.value.trim()
      if (text.startsWith('[')) return readList(text)
      const list = readList(text)
      return list === undefined || list.length !== 1 ? list : list[0]
    }
    case 'json': {
      const text = control.value.trim()
      if (text === '') return undefined
      try {
        return JSON.parse(text)
      } catch (error) {
        return new LocalError(`not valid JSON: ${error.message}`)
      }
    }
    default: {
      const text = control.value.trim()
      return text === '' ? undefined : text
    }
  }
}

/** The body's keys in a reading order: scheduler, its parameters, the LR, the range. */
function order (body, spec) {
  const tail = ['lr', 'param_groups', 'updates_per_epoch', 'unit', 'start', 'count', 'view', 'metrics']
  const out = spec.mode === 'schedule' ? { scheduler: body.scheduler } : {}
  const head = spec.mode === 'plan' ? PLAN_RUN.filter((key) => key !== 'updates_per_epoch') : []
  for (const key of head) if (key in body) out[key] = body[key]
  for (const key of Object.keys(spec.properties)) if (!tail.includes(key) && key in body && !(key in out)) out[key] = body[key]
  for (const key of tail) if (key in body) out[key] = body[key]
  return out
}

// ---------------------------------------------------------------- errors

function clearErrors () {
  for (const error of $$('.error')) {
    error.hidden = true
    error.textContent = ''
  }
  for (const input of $$('[aria-invalid]')) input.removeAttribute('aria-invalid')
  $('#form-error').hidden = true
}

/** The field a JSON pointer names: the longest prefix that is a field on the page. */
function fieldFor (path) {
  const parts = path.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
  // With one group the page sends `lr` (and the API names `/lr`), which is group 0's field.
  if (parts.length === 1 && document.getElementById(`error-param_groups/0/${parts[0]}`) && !document.getElementById(`error-${parts[0]}`)) {
    return { name: `param_groups/0/${parts[0]}`, rest: '' }
  }
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join('/')
    const box = document.getElementById(`error-${name}`)
    if (box && !box.closest('[hidden]:not(.error)')) return { name, rest: parts.slice(n).join('/') }
  }
  return null
}

/** The API's problem, each message next to its field; the rest under the form. */
function showProblem (problem) {
  clearErrors()
  const unplaced = []
  for (const { path, message } of problem.errors ?? []) {
    const place = fieldFor(path ?? '')
    if (place === null) {
      unplaced.push(path ? `${path}: ${message}` : message)
      continue
    }
    const text = place.rest ? `${place.name}/${place.rest}: ${message}` : message
    const box = document.getElementById(`error-${place.name}`)
    box.textContent = box.textContent ? `${box.textContent}\n${text}` : text
    box.hidden = false
    // A message inside a folded section must be seen.
    box.closest('details')?.setAttribute('open', '')
    document.getElementById(`input-${place.name}`)?.setAttribute('aria-invalid', 'true')
  }
  const formError = $('#form-error')
  const placed = (problem.errors ?? []).length - unplaced.length
  const lines = placed > 0 ? unplaced : [problem.detail ?? problem.title ?? 'The request was refused.', ...unplaced.filter((line) => line !== problem.detail)]
  formError.textContent = lines.join('\n')
  formError.hidden = lines.length === 0
}

// ---------------------------------------------------------------- the requests

const ACCEPT = { json: 'application/json', svg: 'image/svg+xml', csv: 'text/csv', npy: 'application/x-npy', arrow: 'application/vnd.apache.arrow.stream' }

function post (url, body, format, signal) {
  const target = new URL(url)
  if (format !== 'json') target.searchParams.set('format', format)
  if (format === 'svg' && $('#log-scale').checked) target.searchParams.set('log_scale', 'true')
  return fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', accept: `${ACCEPT[format]}, application/problem+json` }, body: JSON.stringify(body), signal })
}

async function problemOf (response) {
  try {
    return await response.json()
  } catch {
    return { detail: `The service answered ${response.status} ${response.statusText}.` }
  }
}

class Refused extends Error {
  constructor (problem) {
    super(problem.detail ?? 'refused')
    this.problem = problem
  }
}

async function json (response) {
  if (!response.ok) throw new Refused(await problemOf(response))
  return response.json()
}

/**
 * The first and last rows of an answer of `count` steps from `start`: two small
 * windows of the same request (never the whole run), or all of it when it is short.
 */
async function fetchRows (url, body, start, count, signal) {
  const windows = count <= HEAD_ROWS + TAIL_ROWS + 1
    ? [[start, count]]
    : [[start, HEAD_ROWS], [start + count - TAIL_ROWS, TAIL_ROWS]]
  const answers = await Promise.all(windows.map(([from, n]) => post(url, { ...body, start: from, count: n }, 'json', signal).then(json)))
  const rows = []
  answers.forEach((answer, i) => {
    if (i > 0) rows.push(null)
    answer.lr.forEach((value, k) => rows.push({ t: answer.start + k, values: Array.isArray(value) ? value : [value] }))
  })
  return { rows, head: answers[0] }
}

function schedule () {
  clearTimeout(state.timer)
  state.timer = setTimeout(redraw, DEBOUNCE)
}

async function redraw () {
  clearTimeout(state.timer)
  const spec = state.spec
  const { body, local } = readBody()
  remember()
  updateLink(body)
  state.controller?.abort()
  const controller = new AbortController()
  state.controller = controller
  const mine = ++state.sequence
  const chart = $('#chart')
  if (local.length > 0) {
    showRefusal({ errors: local }, 'The form has a value the page cannot read (see the message by the field).')
    return
  }
  chart.dataset.state = 'loading'
  chart.setAttribute('aria-busy', 'true')
  updateLocalSnippets(spec, body)
  try {
    const drawn = spec.mode === 'plan' ? await drawPlan(body, controller.signal) : await drawSchedule(spec, body, controller.signal)
    if (mine !== state.sequence) return
    clearErrors()
    drawn.apply()
    showChart(drawn.svg)
    showWarnings(drawn.warnings)
    showValues(drawn)
    updateDownloads(spec, body)
    chart.dataset.mode = spec.mode
    chart.dataset.request = JSON.stringify(body)
    chart.dataset.state = 'ready'
    chart.classList.remove('stale')
    $('#values').classList.remove('stale')
    $('#status').textContent = drawn.status
  } catch (error) {
    if (error.name === 'AbortError' || mine !== state.sequence) return
    if (error instanceof Refused) {
      showRefusal(error.problem, 'The service refused these values (see the messages by the fields); the curve shown is the last one it drew.')
    } else {
      chart.dataset.state = 'error'
      $('#status').textContent = `Could not reach the service: ${error.message}`
    }
  } finally {
    if (mine === state.sequence) chart.removeAttribute('aria-busy')
  }
}

function showRefusal (problem, status) {
  showProblem(problem)
  const chart = $('#chart')
  chart.dataset.state = 'error'
  chart.removeAttribute('aria-busy')
  chart.classList.add('stale')
  $('#values').classList.add('stale')
  $('#status').textContent = status
}

/** A scheduler: the chart and the snippet at once, then the table's rows. */
async function drawSchedule (spec, body, signal) {
  const [svgResponse, snippetResponse] = await Promise.all([
    post(api.schedules, body, 'svg', signal),
    fetch(api.snippets, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal })
  ])
  if (!svgResponse.ok) throw new Refused(await problemOf(svgResponse))
  const svg = await svgResponse.text()
  const start = Number(svgResponse.headers.get('LR-Start') ?? body.start ?? 0)
  const count = Number(svgResponse.headers.get('LR-Count'))
  const snippet = snippetResponse.ok ? await snippetResponse.json() : null
  const { rows, head } = await fetchRows(api.schedules, body, start, count, signal)
  const unit = head.unit ?? 'step'
  return {
    svg,
    apply: () => { if (snippet) showPythonSnippets(spec, body, snippet) },
    rows,
    start,
    count,
    warnings: head.warnings ?? [],
    stepColumn: 't',
    groups: rows.find(Boolean)?.values.length ?? 1,
    summary: `${grouped(count)} ${unit}${count === 1 ? '' : 's'} from t = ${start}${rangeOf(svg)}.`,
    status: `${grouped(count)} ${unit}${count === 1 ? '' : 's'} drawn by the service.`
  }
}

/** A train.py run: the chart (drawn on the server from every update), then a few rows. */
async function drawPlan (body, signal) {
  const svgResponse = await post(api.plans, body, 'svg', signal)
  if (!svgResponse.ok) throw new Refused(await problemOf(svgResponse))
  const svg = await svgResponse.text()
  const header = (name) => svgResponse.headers.get(name)
  const run = {
    num_epochs: Number(header('LR-Num-Epochs')),
    updates_per_epoch: Number(header('LR-Updates-Per-Epoch')),
    total_updates: Number(header('LR-Total-Updates')),
    scheduler_class: header('LR-Scheduler-Class') ?? ''
  }
  const { rows, head } = await fetchRows(api.plans, body, 0, run.total_updates, signal)
  return {
    svg,
    apply: () => {
      showRun(run)
      showPlanSnippets(body, run)
    },
    rows,
    start: 0,
    count: run.total_updates,
    run,
    warnings: head.warnings ?? [],
    stepColumn: 'update',
    groups: rows.find(Boolean)?.values.length ?? 1,
    summary: `${grouped(run.num_epochs)} epochs × ${grouped(run.updates_per_epoch)} updates = ${grouped(run.total_updates)} updates${rangeOf(svg)}.`,
    status: `${grouped(run.total_updates)} updates, drawn by the service from every value (at most 2,000 points a line).`
  }
}

/** The LR's range, as the chart's description states it (group 0). */
function rangeOf (svg) {
  const match = /min ([^,<\s]+), max ([^;,<\s]+)/.exec(svg)
  return match ? `; LR from ${match[1]} to ${match[2]}` : ''
}

/** The service's SVG, parsed and imported as nodes (no blob: or inline script needed). */
function showChart (text) {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml')
  const root = parsed.documentElement
  if (root.nodeName !== 'svg' || parsed.querySelector('parsererror')) throw new Error('the chart is not an SVG document')
  for (const unsafe of root.querySelectorAll('script, foreignObject')) unsafe.remove()
  const svg = document.importNode(root, true)
  svg.setAttribute('role', 'img')
  const title = svg.querySelector('title')?.textContent
  if (title) svg.setAttribute('aria-label', title)
  $('#chart').replaceChildren(svg)
}

function showWarnings (warnings) {
  const list = $('#warnings')
  list.replaceChildren(...warnings.map((warning) => element('li', { text: warning })))
  list.hidden = warnings.length === 0
}

function showRun (run) {
  $('#fact-epochs').textContent = grouped(run.num_epochs)
  $('#fact-per-epoch').textContent = grouped(run.updates_per_epoch)
  $('#fact-total').textContent = grouped(run.total_updates)
  $('#fact-class').textContent = run.scheduler_class
}

function showValues (drawn) {
  const columns = drawn.groups === 1 ? ['lr'] : Array.from({ length: drawn.groups }, (_, g) => `lr_${g}`)
  const plan = drawn.stepColumn === 'update'
  const heads = plan ? ['update', 'epoch', ...columns] : ['t', ...columns]
  $('#values thead').replaceChildren(element('tr', {}, heads.map((column) => element('th', { scope: 'col', text: column }))))
  const rows = drawn.rows.map((row) => row === null
    ? element('tr', { class: 'skip' }, [element('td', { colspan: heads.length, text: `… ${grouped(drawn.count - HEAD_ROWS - TAIL_ROWS)} more …` })])
    : element('tr', { 'data-t': row.t }, [
      element('th', { scope: 'row', text: String(row.t) }),
      ...(plan ? [element('td', { class: 'epoch', text: String(Math.floor(row.t / drawn.run.updates_per_epoch)) })] : []),
      ...row.values.map((value) => element('td', { class: 'lr', text: value === null ? '—' : String(value) }))
    ]))
  $('#values tbody').replaceChildren(...rows)
  $('#values-summary').textContent = drawn.summary
  const run = $('#run-facts')
  run.hidden = !plan
}

// ---------------------------------------------------------------- links and downloads

/** A body as a GET query (lists comma-separated, one param group as lr, ...), or null. */
function queryOf (body) {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(body)) {
    if (key === 'scheduler') continue
    if (key === 'param_groups') {
      if (value.length !== 1) return null
      for (const [field, item] of Object.entries(value[0])) params.set(field, String(item))
    } else if (value === null) {
      params.set(key, 'null')
    } else if (Array.isArray(value)) {
      if (value.some((item) => item !== null && typeof item === 'object')) return null
      params.set(key, value.join(','))
    } else if (typeof value === 'object') {
      return null
    } else {
      params.set(key, String(value))
    }
  }
  return params
}

/** The cacheable GET URL of a request, or null where a query cannot spell it. */
function getUrl (spec, body, format) {
  const params = queryOf(body)
  if (params === null) return null
  if (format !== 'json') params.set('format', format)
  const url = spec.mode === 'plan' ? new URL(api.plans) : new URL(`v1/schedules/${encodeURIComponent(spec.name)}`, document.baseURI)
  url.search = params.toString()
  return url
}

function updateDownloads (spec, body) {
  const name = spec.mode === 'plan' ? `plan-${body.sched ?? 'cosine'}` : `${spec.name}-schedule`
  let posted = false
  for (const link of $$('a.download')) {
    const format = link.dataset.format
    const url = getUrl(spec, body, format)
    link.download = `${name}.${format}`
    if (url) {
      link.href = url.href
      delete link.dataset.post
    } else {
      const target = new URL(spec.mode === 'plan' ? api.plans : api.schedules)
      target.searchParams.set('format', format)
      link.href = target.href
      link.dataset.post = 'true'
      posted = true
    }
    link.dataset.request = JSON.stringify(body)
  }
  $('#downloads-label').textContent = spec.mode === 'plan' ? 'Download the whole run:' : 'Download every value:'
  $('#downloads-hint').textContent = posted
    ? 'Several param groups or nested schedulers have no GET form: the page POSTs the body and saves the answer.'
    : 'Plain links to the cacheable GET form of the same request (lists comma-separated): the server streams the file, however long the run.'
}

/** A download with no GET form: POST the body, save the answer. */
async function downloadPosted (event) {
  const link = event.currentTarget
  if (link.dataset.post !== 'true') return
  event.preventDefault()
  const response = await fetch(link.href, { method: 'POST', headers: { 'content-type': 'application/json', accept: `${ACCEPT[link.dataset.format]}, application/problem+json` }, body: link.dataset.request })
  if (!response.ok) {
    showProblem(await problemOf(response))
    return
  }
  const blob = await response.blob()
  const save = element('a', { href: URL.createObjectURL(blob), download: link.download })
  document.body.append(save)
  save.click()
  save.remove()
  setTimeout(() => URL.revokeObjectURL(save.href), 10_000)
}

// ---------------------------------------------------------------- snippets

function shellQuote (text) {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`
}

/** curl, and for a plan the train.py command line: what needs no answer. */
function updateLocalSnippets (spec, body) {
  const plan = spec.mode === 'plan'
  const url = plan ? new URL(api.plans) : new URL(api.schedules)
  if (plan) url.searchParams.set('format', 'npy')
  const lines = [`curl -sS ${shellQuote(url.href)} \\`, "  -H 'Content-Type: application/json' \\", `  -d '${packedJson(body, 6).replace(/'/g, "'\\''")}'${plan ? ' \\' : ''}`]
  if (plan) {
    lines.push('  -o plan.npy')
    const get = getUrl(spec, body, 'npy')
    if (get) lines.push('', '# or the cacheable GET of the same run:', `curl -sS -o plan.npy ${shellQuote(get.href)}`)
  }
  $('#curl-command').textContent = lines.join('\n')
  $('#trainpy-block').hidden = !plan
  if (plan) {
    $('#trainpy-command').textContent = trainCommand(body)
    $('#python-title').replaceChildren('Python ', element('span', { class: 'muted', text: "(timm's create_scheduler_v2, as train.py calls it)" }))
  } else {
    $('#python-title').replaceChildren('Python ', element('span', { class: 'muted', text: `(${LIBRARY_LABELS[spec.library] ?? spec.library})` }))
  }
}

/** The optimizer the snippet assumes, as a comment. */
function optimizerComment (body) {
  const groups = body.param_groups ?? (body.lr !== undefined ? [{ lr: body.lr }] : [])
  if (groups.length === 1 && Object.keys(groups[0]).every((key) => key === 'lr')) {
    return `# optimizer = torch.optim.SGD(model.parameters(), lr=${python(groups[0].lr)})`
  }
  return `# optimizer = torch.optim.SGD([${groups.map((group) => `{'params': ..., ${Object.entries(group).map(([key, value]) => `${python(key)}: ${python(value)}`).join(', ')}}`).join(', ')}])`
}

/** How the loop steps the scheduler, in its library's words. */
function stepComment (spec, body) {
  const metric = spec.count === 'inputs'
  switch (spec.library) {
    case 'timm':
      if (metric) return '# after each epoch: scheduler.step(epoch + 1, eval_metric)'
      return body.t_in_epochs === false
        ? '# after each optimizer update: scheduler.step_update(num_updates)'
        : '# after each epoch: scheduler.step(epoch + 1)'
    case 'transformers':
      return metric ? '# after each evaluation: scheduler.step(eval_loss)' : '# after each optimizer step: scheduler.step()'
    default:
      return metric ? '# after each epoch: scheduler.step(val_loss)' : '# after each step: scheduler.step()'
  }
}

/** The snippet's import line, with the classes its constructor builds inside (SequentialLR's children). */
function importLine (snippet) {
  const match = /^from (\S+) import (.+)$/.exec(snippet.import)
  if (!match) return { line: snippet.import, names: [] }
  const own = match[2].split(',').map((name) => name.trim())
  const children = []
  for (const [, name] of snippet.constructor.matchAll(/\b([A-Z]\w*)\(optimizer\b/g)) {
    if (!own.includes(name) && !children.includes(name)) children.push(name)
  }
  const names = [...children, ...own]
  return { line: `from ${match[1]} import ${names.join(', ')}`, names }
}

/** The top-level pieces of `text` between commas, brackets and quotes respected. */
function splitTopLevel (text) {
  const parts = []
  let depth = 0
  let quote = ''
  let piece = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\') { piece += c + (text[++i] ?? ''); continue }
      if (c === quote) quote = ''
    } else if (c === "'" || c === '"') {
      quote = c
    } else if ('([{'.includes(c)) {
      depth++
    } else if (')]}'.includes(c)) {
      depth--
    } else if (c === ',' && depth === 0) {
      parts.push(piece.trim())
      piece = ''
      continue
    }
    piece += c
  }
  if (piece.trim() !== '') parts.push(piece.trim())
  return parts
}

/** A Python call longer than a line, one argument a line, as black writes it. */
function formatCall (line, width = 88) {
  const open = line.indexOf('(')
  if (line.length <= width || open < 0 || !line.endsWith(')')) return line
  return `${line.slice(0, open + 1)}\n${splitTopLevel(line.slice(open + 1, -1)).map((arg) => `    ${arg},`).join('\n')}\n)`
}

/** A JSON body for curl's -d: its fields packed into lines of about `width` characters. */
function packedJson (body, indent, width = 78) {
  const entries = Object.entries(body).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
  const lines = []
  let line = '{'
  entries.forEach((entry, i) => {
    const piece = entry + (i < entries.length - 1 ? ',' : '}')
    if (line.length > 1 && line.length + 1 + piece.length > width) {
      lines.push(line)
      line = ' ' + piece
    } else {
      line += (line.length > 1 ? ' ' : '') + piece
    }
  })
  if (entries.length === 0) line += '}'
  lines.push(line)
  return lines.join(`\n${' '.repeat(indent)}`)
}

function showPythonSnippets (spec, body, snippet) {
  const { line, names } = importLine(snippet)
  const rest = ['', optimizerComment(body), formatCall(snippet.constructor), stepComment(spec, body)]
  $('#python-snippet').textContent = [line, ...rest].join('\n')
  $('#client-snippet').textContent = [
    `from lr_schedules_client.${snippet.library} import ${names.join(', ')}`,
    ...rest,
    '# the same names and signatures: every value computed by this service'
  ].join('\n')
}

/** train.py's command line for a plan body. */
function trainCommand (body) {
  const args = []
  const notes = []
  for (const [key, value] of Object.entries(body)) {
    if (['lr', 'param_groups', 'updates_per_epoch', 'metrics'].includes(key)) continue
    if (key === 'plateau_mode') {
      notes.push(`# plateau mode ${value}: train.py derives it from --eval-metric (a name with "loss" is minimised)`)
      continue
    }
    const flag = `--${key.replace(/_/g, '-')}`
    if (value === true) args.push(flag)
    else if (value === false || value === null) continue
    else if (Array.isArray(value)) args.push(`${flag} ${value.join(' ')}`)
    else args.push(`${flag} ${shellQuote(String(value))}`)
  }
  if (body.lr !== undefined) args.push(`--lr ${body.lr}`)
  if (body.param_groups) notes.push(`# param groups (lr_scale from --layer-decay): ${JSON.stringify(body.param_groups)}`)
  if (body.updates_per_epoch !== undefined) notes.push(`# ${body.updates_per_epoch} optimizer updates an epoch: len(loader_train) // grad_accum_steps`)
  if (body.metrics) notes.push('# plateau steps with the eval metric of each epoch')
  const lines = ['./train.py /path/to/dataset \\', ...args.map((arg, i) => `  ${arg}${i < args.length - 1 ? ' \\' : ''}`)]
  return [...lines, ...notes].join('\n')
}

/** create_scheduler_v2's keyword arguments, as train.py's scheduler_kwargs(args) fills them. */
function schedulerV2Arguments (body, run) {
  const args = { ...Object.fromEntries(Object.values(state.plan.properties).filter((field) => field.hasDefault).map((field) => [field.name, field.default])), ...body }
  const out = []
  for (const [argument, keyword, fallback] of SCHEDULER_V2) {
    const value = args[argument]
    // The scheduler and the run's length are always written out: they say what the run is.
    const always = argument === 'sched' || argument === 'epochs'
    if (value === undefined || (!always && JSON.stringify(value) === JSON.stringify(fallback))) continue
    out.push(`${keyword}=${python(value)}`)
  }
  const mode = args.plateau_mode ?? (String(args.eval_metric ?? '').includes('loss') ? 'min' : 'max')
  if (mode !== 'max') out.push(`plateau_mode=${python(mode)}`)
  if (args.sched_on_updates) out.push('step_on_epochs=False')
  out.push(`updates_per_epoch=${python(run.updates_per_epoch)}`)
  return out
}

function showPlanSnippets (body, run) {
  const call = formatCall(`scheduler, num_epochs = create_scheduler_v2(optimizer, ${schedulerV2Arguments(body, run).join(', ')})`)
  const loop = [
    `# num_epochs == ${run.num_epochs}: ${run.scheduler_class}, ${run.total_updates} updates in all`,
    '# after each optimizer update: scheduler.step_update(num_updates)',
    `# after each epoch: scheduler.step(epoch + 1${body.sched === 'plateau' ? ', eval_metric' : ''})`
  ]
  const optimizer = optimizerComment(body)
  $('#python-snippet').textContent = ['from timm.scheduler import create_scheduler_v2', '', optimizer, call, ...loop].join('\n')
  const kwargs = Object.entries(body).map(([key, value]) => `${key}=${python(value)}`).join(', ')
  $('#client-snippet').textContent = [
    'from lr_schedules_client.timm import create_scheduler_v2',
    '',
    optimizer,
    call,
    '',
    '# or the whole run, paged, without an optimizer:',
    'from lr_schedules_client import Plan',
    formatCall(`plan = Plan(${kwargs})`),
    `# plan.num_epochs == ${run.num_epochs}, plan.total_updates == ${run.total_updates}; for update, lrs in enumerate(plan): ...`
  ].join('\n')
}

async function copy (id, button) {
  const text = document.getElementById(id).textContent
  let copied = false
  try {
    await navigator.clipboard.writeText(text)
    copied = true
  } catch {
    // No clipboard permission: select the text so that Ctrl+C copies it.
    const range = document.createRange()
    range.selectNodeContents(document.getElementById(id))
    const selection = getSelection()
    selection.removeAllRanges()
    selection.addRange(range)
    copied = document.execCommand?.('copy') ?? false
  }
  $('#copy-status').textContent = copied ? `Copied the ${button.dataset.label} snippet.` : 'Selected: press Ctrl+C (⌘C) to copy.'
  button.dataset.copied = copied ? 'true' : 'false'
}

// ---------------------------------------------------------------- state

/** The form as typed (text as text), kept while another scheduler is shown. */
function remember () {
  const spec = state.spec
  if (!spec) return
  const values = {}
  for (const control of $$('#config [id^="input-"]')) {
    const name = control.id.slice('input-'.length)
    if (name.startsWith('param_groups/')) continue
    values[name] = control.type === 'checkbox' ? control.checked : control.value
  }
  values.unit = $('input[name=unit]:checked')?.value
  syncGroups()
  values.param_groups = state.groups.map((group) => ({ ...group }))
  state.memory.set(spec.key, values)
}

/** The link keeps the form: #schedule=<body> or #plan=<body>, and the log axis. */
function updateLink (body) {
  const params = new URLSearchParams()
  params.set(state.spec.mode, JSON.stringify(body))
  if ($('#log-scale').checked) params.set('log', '1')
  history.replaceState(null, '', `#${params.toString()}`)
}

function fromLink () {
  const hash = location.hash.slice(1)
  if (hash === '') return null
  try {
    // The page's former links: the body itself.
    if (decodeURIComponent(hash).startsWith('{')) return { mode: 'schedule', body: JSON.parse(decodeURIComponent(hash)), log: false }
    const params = new URLSearchParams(hash)
    const mode = params.has('plan') ? 'plan' : 'schedule'
    const body = JSON.parse(params.get(mode) ?? 'null')
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return null
    return { mode, body, log: params.get('log') === '1' }
  } catch {
    return null
  }
}

function valuesFor (spec) {
  return state.memory.get(spec.key) ?? textFromBody(spec, spec.examples[0]?.value ?? {})
}

function showSpec (spec, values) {
  clearErrors()
  buildForm(spec, values)
  for (const radio of $$('input[name=mode]')) radio.checked = radio.value === spec.mode
}

async function fetchJson (url) {
  const response = await fetch(url, { headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`${url.pathname}: ${response.status} ${response.statusText}`)
  return response.json()
}

async function main () {
  try {
    const [doc, listing] = await Promise.all([fetchJson(api.openapi), fetchJson(api.schedulers)])
    state.schedulers = readSchedulers(doc, listing)
    state.plan = readPlan(doc)
  } catch (error) {
    $('#status').textContent = `Could not read the scheduler list or the API document: ${error.message}`
    $('#chart').dataset.state = 'error'
    return
  }
  const select = $('#scheduler')
  const libraries = new Map()
  for (const spec of state.schedulers.values()) {
    if (!libraries.has(spec.library)) libraries.set(spec.library, element('optgroup', { label: LIBRARY_LABELS[spec.library] ?? spec.library }))
    const short = spec.name.startsWith(`${spec.library}.`) ? spec.name.slice(spec.library.length + 1) : spec.name
    const text = short === spec.reference ? short : `${short} · ${spec.reference}`
    libraries.get(spec.library).append(element('option', { value: spec.name, text }))
  }
  select.replaceChildren(...libraries.values())
  select.disabled = false
  if (!state.plan) for (const radio of $$('input[name=mode]')) radio.disabled = true

  const linked = fromLink()
  $('#log-scale').checked = linked?.log ?? false
  if (linked?.mode === 'plan' && state.plan) {
    state.scheduler = [...state.schedulers.keys()][0]
    select.value = state.scheduler
    showSpec(state.plan, textFromBody(state.plan, linked.body))
  } else {
    const name = linked && state.schedulers.has(linked.body.scheduler) ? linked.body.scheduler : [...state.schedulers.keys()][0]
    const spec = state.schedulers.get(name)
    select.value = name
    showSpec(spec, linked?.body.scheduler === name ? textFromBody(spec, linked.body) : valuesFor(spec))
  }

  select.addEventListener('change', () => {
    remember()
    showSpec(state.schedulers.get(select.value), valuesFor(state.schedulers.get(select.value)))
    redraw()
  })
  for (const radio of $$('input[name=mode]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return
      remember()
      const spec = radio.value === 'plan' ? state.plan : state.schedulers.get(state.scheduler)
      showSpec(spec, valuesFor(spec))
      redraw()
    })
  }
  const form = $('#config')
  form.addEventListener('input', (event) => {
    if (event.target === select || event.target.name === 'mode') return
    schedule()
  })
  form.addEventListener('change', (event) => {
    if (event.target === select || event.target.name === 'mode') return
    if (event.target.name === 'sched') updateVisibility()
    // Checkboxes, radios and selects redraw at once; text waits for a pause in typing.
    if (event.target.type === 'text' || event.target.tagName === 'TEXTAREA') return
    redraw()
  })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    redraw()
  })
  $('#example-list').addEventListener('click', (event) => {
    const index = event.target.closest('[data-example]')?.dataset.example
    if (index === undefined) return
    const spec = state.spec
    state.memory.delete(spec.key)
    showSpec(spec, textFromBody(spec, spec.examples[Number(index)].value))
    redraw()
  })
  $('#add-group').addEventListener('click', () => {
    syncGroups()
    const last = state.groups[state.groups.length - 1] ?? {}
    const scaled = state.spec.groupFields.some((field) => field.name === 'lr_scale')
    const lr = readNumber(last.lr)
    state.groups.push({ lr: scaled || typeof lr !== 'number' ? last.lr ?? '' : String(lr / 2), ...(scaled ? { lr_scale: '0.5' } : {}) })
    renderGroups()
    document.getElementById(`input-param_groups/${state.groups.length - 1}/${scaled ? 'lr_scale' : 'lr'}`)?.focus()
    redraw()
  })
  $('#group-list').addEventListener('click', (event) => {
    const index = event.target.closest('[data-remove]')?.dataset.remove
    if (index === undefined) return
    syncGroups()
    state.groups.splice(Number(index), 1)
    renderGroups()
    $('#add-group').focus()
    redraw()
  })
  for (const button of $$('[data-copy]')) button.addEventListener('click', () => copy(button.dataset.copy, button))
  for (const link of $$('a.download')) link.addEventListener('click', downloadPosted)
  await redraw()
}

main()
