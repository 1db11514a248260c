// The playground: a form generated from the service's own OpenAPI document, a chart
// the service draws, and the request as curl, Python and timm's constructor call.
// Plain browser module, no build step, nothing loaded from elsewhere. Runs under a
// strict CSP: no inline scripts or handlers, the chart is inserted as SVG nodes.

const api = {
  openapi: new URL('openapi.json', document.baseURI),
  schedules: new URL('v1/schedules', document.baseURI)
}

/** Fields the page lays out itself; every other property is a scheduler parameter. */
const OWN_LAYOUT = new Set(['scheduler', 'lr', 'param_groups', 'unit', 'start', 'count', 'view', 'metrics'])

/** How long typing pauses before the curve is redrawn, in ms. */
const DEBOUNCE = 250

/** Rows of the values table shown from the start and from the end. */
const HEAD_ROWS = 8
const TAIL_ROWS = 3

/**
 * What the form holds when a scheduler is first picked, so there is a curve to look
 * at: the StepLR tutorial's setup, and comparable ones. Everything else starts empty,
 * which means the API's default (shown in each field).
 */
const STARTERS = {
  step: { decay_t: 5, decay_rate: 0.5, lr: 1e-4, count: 50 },
  multistep: { decay_t: [30, 60, 90], decay_rate: 0.1, lr: 0.1, count: 120 },
  cosine: { t_initial: 100, warmup_t: 5, warmup_lr_init: 1e-5, lr: 0.1 },
  tanh: { t_initial: 100, warmup_t: 5, warmup_lr_init: 1e-5, lr: 0.1 },
  poly: { t_initial: 100, power: 2, lr: 0.1 },
  plateau: { decay_rate: 0.5, patience_t: 2, lr: 0.1, metrics: [0.42, 0.55, 0.61, 0.64, 0.65, 0.65, 0.649, 0.651, 0.65, 0.652, 0.66, 0.661, 0.66, 0.66, 0.659, 0.66, 0.66, 0.66] }
}

const $ = (selector, root = document) => root.querySelector(selector)
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)]

const state = {
  /** Scheduler name → its request schema (the oneOf variant), from the OpenAPI document. */
  variants: new Map(),
  /** Scheduler name → the form's text per field, kept while another scheduler is shown. */
  memory: new Map(),
  /** The param groups: text of lr and lr_scale per group. */
  groups: [],
  /** The scheduler the form shows. */
  current: '',
  /** A counter that retires stale answers, and the request in flight. */
  sequence: 0,
  controller: null,
  timer: 0
}

// ---------------------------------------------------------------- the document

/** `$ref`s resolved against the document, nested `anyOf`s flattened. */
function resolve (doc, schema) {
  let out = schema
  for (let depth = 0; out && out.$ref && depth < 32; depth++) {
    out = out.$ref.replace(/^#\//, '').split('/').reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  }
  return out ?? {}
}

function alternatives (doc, schema) {
  const resolved = resolve(doc, schema)
  const list = resolved.anyOf ?? resolved.oneOf
  if (!list) return [resolved]
  return list.flatMap((option) => alternatives(doc, option))
}

/** The variants of `POST /v1/schedules`' body, by scheduler name, in the document's order. */
function readVariants (doc) {
  const body = doc.paths?.['/v1/schedules']?.post?.requestBody?.content?.['application/json']?.schema
  if (!body) throw new Error('the OpenAPI document has no request body for POST /v1/schedules')
  const root = resolve(doc, body)
  const variants = new Map()
  for (const option of root.oneOf ?? root.anyOf ?? [root]) {
    const variant = resolve(doc, option)
    const tag = resolve(doc, variant.properties?.scheduler)
    const name = tag.const ?? tag.enum?.[0]
    if (typeof name !== 'string') continue
    const properties = {}
    for (const [key, value] of Object.entries(variant.properties ?? {})) properties[key] = describeField(doc, key, value)
    variants.set(name, {
      name,
      description: variant.description ?? '',
      timmClass: /^(\w+LRScheduler)\b/.exec(variant.description ?? '')?.[1] ?? name,
      required: new Set(variant.required ?? []),
      properties
    })
  }
  if (variants.size === 0) throw new Error('the OpenAPI document lists no scheduler')
  return variants
}

/** What the form needs to know of one property. */
function describeField (doc, name, raw) {
  const schema = resolve(doc, raw)
  const options = alternatives(doc, schema).filter((option) => option.type !== 'null')
  const nullable = alternatives(doc, schema).some((option) => option.type === 'null') || schema.nullable === true
  const field = {
    name,
    description: schema.description ?? options.find((option) => option.description)?.description ?? '',
    default: schema.default,
    hasDefault: 'default' in schema,
    nullable,
    kind: 'text',
    integer: false,
    bounds: []
  }
  const first = options[0] ?? {}
  if (options.length === 1 && Array.isArray(first.enum)) {
    field.kind = 'enum'
    field.values = first.enum
  } else if (options.length === 1 && first.type === 'boolean') {
    field.kind = 'boolean'
  } else if (options.length === 1 && (first.type === 'number' || first.type === 'integer')) {
    field.kind = 'number'
    field.integer = first.type === 'integer'
    field.bounds = bounds(first)
  } else if (options.length === 1 && first.type === 'array') {
    const items = resolve(doc, first.items)
    field.kind = 'list'
    field.integer = items.type === 'integer'
    field.bounds = bounds(items)
    field.minItems = first.minItems
  } else if (options.some((option) => option.type === 'number') && options.some((option) => option.type === 'array')) {
    // noise_range_t: a step, or a pair [lo, hi).
    field.kind = 'step-or-pair'
  }
  return field
}

/** `≥ 0`, `> 0`, `≤ 1` from a number schema, leaving out zod's safe-integer limits. */
function bounds (schema) {
  const out = []
  const safe = (value) => typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER
  if (safe(schema.exclusiveMinimum)) out.push(`> ${schema.exclusiveMinimum}`)
  else if (schema.exclusiveMinimum === true && safe(schema.minimum)) out.push(`> ${schema.minimum}`)
  else if (safe(schema.minimum)) out.push(`≥ ${schema.minimum}`)
  if (safe(schema.exclusiveMaximum)) out.push(`< ${schema.exclusiveMaximum}`)
  else if (schema.exclusiveMaximum === true && safe(schema.maximum)) out.push(`< ${schema.maximum}`)
  else if (safe(schema.maximum)) out.push(`≤ ${schema.maximum}`)
  return out
}

// ---------------------------------------------------------------- numbers

/** Python's repr of a number (`1e-05`, `0.0001`, `5`), as a timm user writes it. */
function pythonNumber (value) {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "float('nan')" : value > 0 ? "float('inf')" : "-float('inf')"
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 53) return String(value)
  const [mantissa, exponentText] = value.toExponential().split('e')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  const text = String(value)
  return text.includes('.') ? text : `${text}.0`
}

/** A JSON value as a Python literal; the top-level dict one key a line. */
function python (value, multiline = false) {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return pythonNumber(value)
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map((item) => python(item)).join(', ')}]`
  const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${python(item)}`)
  if (!multiline) return `{${entries.join(', ')}}`
  return entries.length === 0 ? '{}' : `{\n${entries.map((entry) => `    ${entry},`).join('\n')}\n}`
}

/** A typed number, or the text itself so that the API names what is wrong with it. */
function readNumber (text) {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const value = Number(trimmed)
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) && Number.isFinite(value) ? value : trimmed
}

function readList (text) {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  return trimmed.split(/[\s,;]+/).filter(Boolean).map(readNumber)
}

function show (value) {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
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
  return [field.description, facts.length ? `(${facts.join(', ')})` : ''].filter(Boolean).join(' ')
}

/** One labelled control for `field`, with its hint and a place for the API's error. */
function fieldControl (field, required, value) {
  const id = `input-${field.name}`
  const hintId = `hint-${field.name}`
  const errorId = `error-${field.name}`
  const wrapper = element('div', { class: 'field', 'data-field': field.name })
  const describedBy = `${hintId} ${errorId}`
  let control
  if (field.kind === 'boolean') {
    control = element('input', { type: 'checkbox', id, name: field.name, 'aria-describedby': describedBy })
    control.checked = value ?? field.default ?? false
    wrapper.append(element('label', { class: 'inline', for: id }, [control, ` ${field.name}`]))
  } else if (field.kind === 'enum') {
    control = element('select', { id, name: field.name, 'aria-describedby': describedBy })
    for (const option of field.values) control.append(element('option', { value: option, text: option }))
    control.value = value ?? field.default ?? field.values[0]
    control.disabled = field.values.length === 1
    wrapper.append(element('label', { for: id, text: field.name }), control)
  } else {
    const placeholder = field.hasDefault && field.default !== null ? show(field.default) : field.kind === 'step-or-pair' ? 'none' : ''
    const numeric = field.kind === 'number'
    control = element(field.kind === 'list' && field.name === 'metrics' ? 'textarea' : 'input', {
      id,
      name: field.name,
      type: field.name === 'metrics' ? undefined : 'text',
      rows: field.name === 'metrics' ? 3 : undefined,
      inputmode: numeric ? (field.integer ? 'numeric' : 'decimal') : undefined,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder,
      'aria-required': required ? 'true' : undefined,
      'aria-describedby': describedBy
    })
    control.value = show(value)
    wrapper.append(element('label', { for: id, text: field.name }), control)
  }
  control.dataset.kind = field.kind
  wrapper.append(element('p', { class: 'error', id: errorId, hidden: true }))
  wrapper.append(element('p', { class: 'hint', id: hintId, text: hintText(field, required) }))
  return wrapper
}

/** The parameters, in the document's order, in three groups. */
function familyOf (name) {
  if (name.startsWith('warmup_')) return 'Warmup'
  if (name.startsWith('noise_')) return 'Noise'
  return 'Schedule'
}

function buildForm (name, values) {
  const variant = state.variants.get(name)
  state.current = name
  $('#scheduler-description').textContent = variant.description
  const families = new Map([['Schedule', []], ['Warmup', []], ['Noise', []]])
  for (const field of Object.values(variant.properties)) {
    if (OWN_LAYOUT.has(field.name)) continue
    families.get(familyOf(field.name)).push(fieldControl(field, variant.required.has(field.name), values[field.name]))
  }
  const parameters = $('#parameters')
  parameters.replaceChildren()
  for (const [family, controls] of families) {
    if (controls.length === 0) continue
    const fieldset = element('fieldset', { 'data-family': family.toLowerCase() }, [element('legend', { text: family === 'Schedule' ? `${variant.timmClass} parameters` : family })])
    fieldset.append(...controls)
    if (family === 'Noise') {
      const details = element('details', { open: controls.some((control) => values[control.dataset.field] !== undefined) })
      details.append(element('summary', { text: 'Noise (seeded, as timm draws it)' }), fieldset)
      parameters.append(details)
    } else {
      parameters.append(fieldset)
    }
  }

  // The range: start, count, view, unit and plateau's metrics, from the same variant.
  const props = variant.properties
  $('#field-start').replaceChildren(fieldControl(props.start, false, values.start))
  $('#field-count').replaceChildren(fieldControl(props.count, variant.required.has('count'), values.count))
  $('#field-view').replaceChildren(fieldControl(props.view, false, values.view))
  const metrics = $('#field-metrics')
  metrics.hidden = !props.metrics
  metrics.replaceChildren(...(props.metrics ? [fieldControl(props.metrics, variant.required.has('metrics'), values.metrics)] : []))
  const units = props.unit?.values ?? ['epoch', 'update']
  for (const radio of $$('input[name=unit]')) {
    radio.disabled = !units.includes(radio.value)
    radio.checked = radio.value === (values.unit ?? props.unit?.default ?? 'epoch')
  }
  $('#hint-unit').textContent = props.unit?.description ?? ''

  state.groups = values.param_groups
    ? values.param_groups.map((group) => ({ lr: show(group.lr), lr_scale: show(group.lr_scale) }))
    : [{ lr: show(values.lr), lr_scale: '' }]
  renderGroups()
}

function renderGroups () {
  const list = $('#group-list')
  list.replaceChildren()
  state.groups.forEach((group, g) => {
    const lrName = `param_groups/${g}/lr`
    const scaleName = `param_groups/${g}/lr_scale`
    const item = element('li', { class: 'group', 'data-group': g })
    const several = state.groups.length > 1
    item.append(
      element('div', { class: 'field', 'data-field': lrName }, [
        element('label', { for: `input-${lrName}`, text: several ? `lr (group ${g})` : 'lr' }),
        Object.assign(element('input', { id: `input-${lrName}`, name: lrName, type: 'text', inputmode: 'decimal', autocomplete: 'off', 'aria-required': 'true', 'aria-describedby': `groups-hint error-${lrName}` }), { value: group.lr }),
        element('p', { class: 'error', id: `error-${lrName}`, hidden: true })
      ]),
      element('div', { class: 'field', 'data-field': scaleName }, [
        element('label', { for: `input-${scaleName}`, text: several ? `lr_scale (group ${g})` : 'lr_scale' }),
        Object.assign(element('input', { id: `input-${scaleName}`, name: scaleName, type: 'text', inputmode: 'decimal', autocomplete: 'off', placeholder: 'none', 'aria-describedby': `error-${scaleName}` }), { value: group.lr_scale }),
        element('p', { class: 'error', id: `error-${scaleName}`, hidden: true })
      ])
    )
    if (several) {
      const remove = element('button', { type: 'button', class: 'secondary remove-group', 'data-remove': g, 'aria-label': `Remove param group ${g}`, text: 'Remove' })
      item.append(remove)
    }
    list.append(item)
  })
}

/** The form as the body of `POST /v1/schedules`: only what differs from the API's defaults. */
function readBody () {
  const name = state.current
  const variant = state.variants.get(name)
  const body = { scheduler: name }
  for (const field of Object.values(variant.properties)) {
    if (field.name === 'scheduler' || field.name === 'lr' || field.name === 'param_groups' || field.name === 'unit') continue
    const control = document.getElementById(`input-${field.name}`)
    if (!control) continue
    const value = readControl(field, control)
    if (value !== undefined) body[field.name] = value
  }
  const unit = $('input[name=unit]:checked')?.value
  if (unit && unit !== (variant.properties.unit?.default ?? 'epoch')) body.unit = unit
  syncGroups()
  const groups = state.groups.map((group) => {
    const out = { lr: readNumber(group.lr) }
    const scale = readNumber(group.lr_scale)
    if (scale !== undefined) out.lr_scale = scale
    return out
  })
  if (groups.length === 1 && groups[0].lr_scale === undefined) {
    if (groups[0].lr !== undefined) body.lr = groups[0].lr
  } else {
    body.param_groups = groups
  }
  return order(body, variant)
}

function readControl (field, control) {
  switch (field.kind) {
    case 'boolean':
      return control.checked === (field.default ?? false) ? undefined : control.checked
    case 'enum':
      return control.value === field.default || control.disabled ? undefined : control.value
    case 'number':
      return readNumber(control.value)
    case 'list':
      return readList(control.value)
    case 'step-or-pair': {
      const list = readList(control.value)
      return list === undefined || list.length !== 1 ? list : list[0]
    }
    default: {
      const text = control.value.trim()
      if (text === '') return undefined
      try { return JSON.parse(text) } catch { return text }
    }
  }
}

/** The body's keys in a reading order: scheduler, its parameters, the LR, the range. */
function order (body, variant) {
  const out = { scheduler: body.scheduler }
  for (const key of Object.keys(variant.properties)) if (!['lr', 'param_groups', 'unit', 'start', 'count', 'view', 'metrics'].includes(key) && key in body) out[key] = body[key]
  for (const key of ['lr', 'param_groups', 'unit', 'start', 'count', 'view', 'metrics']) if (key in body) out[key] = body[key]
  return out
}

function syncGroups () {
  state.groups = state.groups.map((group, g) => ({
    lr: document.getElementById(`input-param_groups/${g}/lr`)?.value ?? group.lr,
    lr_scale: document.getElementById(`input-param_groups/${g}/lr_scale`)?.value ?? group.lr_scale
  }))
}

// ---------------------------------------------------------------- errors

function clearErrors () {
  for (const error of $$('.error')) {
    error.hidden = true
    error.textContent = ''
  }
  for (const input of $$('[aria-invalid]')) input.removeAttribute('aria-invalid')
}

/** The field a JSON pointer names: the longest prefix that is a field on the page. */
function fieldFor (path) {
  const parts = path.split('/').slice(1)
  // With one group the page sends `lr`, which is group 0's field.
  if (parts[0] === 'lr') return 'param_groups/0/lr'
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join('/')
    if (document.getElementById(`error-${name}`)) return name
  }
  return null
}

/** The API's problem, each message next to its field; the rest above the chart. */
function showProblem (problem) {
  clearErrors()
  const unplaced = []
  for (const { path, message } of problem.errors ?? []) {
    const name = fieldFor(path ?? '')
    if (name === null) {
      unplaced.push(path ? `${path}: ${message}` : message)
      continue
    }
    const box = document.getElementById(`error-${name}`)
    box.textContent = box.textContent ? `${box.textContent} ${message}` : message
    box.hidden = false
    // A message inside the folded noise section must be seen.
    box.closest('details')?.setAttribute('open', '')
    document.getElementById(`input-${name}`)?.setAttribute('aria-invalid', 'true')
  }
  const formError = $('#form-error')
  const placed = (problem.errors ?? []).length - unplaced.length
  const lines = placed > 0 ? unplaced : [problem.detail ?? problem.title ?? 'The request was refused.', ...unplaced.filter((line) => line !== problem.detail)]
  formError.textContent = lines.join('\n')
  formError.hidden = lines.length === 0
}

// ---------------------------------------------------------------- the request

function post (body, format, signal) {
  const url = new URL(api.schedules)
  if (format !== 'json') url.searchParams.set('format', format)
  if (format === 'svg' && $('#log-scale').checked) url.searchParams.set('log_scale', 'true')
  const accept = { json: 'application/json', svg: 'image/svg+xml', csv: 'text/csv' }[format]
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: `${accept}, application/problem+json` }, body: JSON.stringify(body), signal })
}

async function problemOf (response) {
  try {
    return await response.json()
  } catch {
    return { detail: `The service answered ${response.status} ${response.statusText}.` }
  }
}

function schedule () {
  clearTimeout(state.timer)
  state.timer = setTimeout(redraw, DEBOUNCE)
}

async function redraw () {
  clearTimeout(state.timer)
  const body = readBody()
  remember()
  updateSnippets(body)
  state.controller?.abort()
  const controller = new AbortController()
  state.controller = controller
  const mine = ++state.sequence
  const chart = $('#chart')
  chart.dataset.state = 'loading'
  chart.setAttribute('aria-busy', 'true')
  try {
    const [json, svg] = await Promise.all([post(body, 'json', controller.signal), post(body, 'svg', controller.signal)])
    if (!json.ok || !svg.ok) {
      const problem = await problemOf(json.ok ? svg : json)
      if (mine !== state.sequence) return
      showProblem(problem)
      chart.dataset.state = 'error'
      chart.classList.add('stale')
      $('#values').classList.add('stale')
      $('#status').textContent = 'The service refused these values (see the messages by the fields); the curve shown is the last one it drew.'
      return
    }
    const [answer, text] = await Promise.all([json.json(), svg.text()])
    if (mine !== state.sequence) return
    clearErrors()
    $('#form-error').hidden = true
    showChart(text)
    showValues(answer)
    chart.dataset.request = JSON.stringify(body)
    chart.dataset.state = 'ready'
    chart.classList.remove('stale')
    $('#values').classList.remove('stale')
    $('#status').textContent = `${answer.count} ${answer.unit === 'update' ? 'updates' : 'epochs'} drawn.`
    history.replaceState(null, '', `#${encodeURIComponent(JSON.stringify(body))}`)
  } catch (error) {
    if (error.name === 'AbortError') return
    chart.dataset.state = 'error'
    $('#status').textContent = `Could not reach the service: ${error.message}`
  } finally {
    if (mine === state.sequence) chart.removeAttribute('aria-busy')
  }
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

function showValues (answer) {
  const groups = answer.param_groups
  const columns = groups.length === 1 ? ['lr'] : groups.map((_, g) => `lr_${g}`)
  const head = element('tr', {}, [element('th', { scope: 'col', text: 't' }), ...columns.map((column) => element('th', { scope: 'col', text: column }))])
  $('#values thead').replaceChildren(head)
  const rows = []
  const n = answer.count
  const row = (i) => element('tr', { 'data-t': answer.start + i }, [
    element('th', { scope: 'row', text: String(answer.start + i) }),
    ...groups.map((group) => element('td', { text: group.lr[i] === null ? '—' : String(group.lr[i]) }))
  ])
  if (n <= HEAD_ROWS + TAIL_ROWS + 1) {
    for (let i = 0; i < n; i++) rows.push(row(i))
  } else {
    for (let i = 0; i < HEAD_ROWS; i++) rows.push(row(i))
    rows.push(element('tr', { class: 'skip' }, [element('td', { colspan: columns.length + 1, text: `… ${n - HEAD_ROWS - TAIL_ROWS} more …` })]))
    for (let i = n - TAIL_ROWS; i < n; i++) rows.push(row(i))
  }
  $('#values tbody').replaceChildren(...rows)
  const finite = groups.flatMap((group) => group.lr.filter((value) => value !== null))
  let min = Infinity
  let max = -Infinity
  for (const value of finite) {
    if (value < min) min = value
    if (value > max) max = value
  }
  const unit = answer.unit === 'update' ? 'update' : 'epoch'
  $('#values-summary').textContent = finite.length === 0
    ? `${n} ${unit}s from t = ${answer.start}: timm yields no value in this unit (view raw or noisy).`
    : `${n} ${unit}s from t = ${answer.start}; LR from ${min} to ${max}.`
}

// ---------------------------------------------------------------- snippets

function shellQuote (text) {
  return `'${text.replace(/'/g, "'\\''")}'`
}

function updateSnippets (body) {
  const url = api.schedules.href
  const json = JSON.stringify(body)
  $('#curl-command').textContent = `curl -sS ${shellQuote(url)} \\\n  -H 'Content-Type: application/json' \\\n  -d ${shellQuote(json)}`
  $('#python-snippet').textContent = [
    'import json',
    'import urllib.request',
    '',
    `body = ${python(body, true)}`,
    'request = urllib.request.Request(',
    `    ${JSON.stringify(url)},`,
    '    data=json.dumps(body).encode(),',
    '    headers={"Content-Type": "application/json"},',
    ')',
    'with urllib.request.urlopen(request) as response:',
    '    answer = json.load(response)',
    'print(answer["lr"])  # one LR per step; answer["param_groups"] has every group'
  ].join('\n')
  $('#timm-call').textContent = timmCall(body)
}

/** timm's constructor call: the parameters that differ from timm's defaults. */
function timmCall (body) {
  const variant = state.variants.get(body.scheduler)
  const args = ['optimizer']
  for (const key of Object.keys(variant.properties)) {
    if (OWN_LAYOUT.has(key) || !(key in body)) continue
    args.push(`${key}=${python(body[key])}`)
  }
  const groups = body.param_groups ?? (body.lr !== undefined ? [{ lr: body.lr }] : [])
  const optimizer = groups.length === 1 && groups[0].lr_scale === undefined
    ? `# optimizer = torch.optim.SGD(model.parameters(), lr=${python(groups[0].lr)})`
    : `# optimizer param groups: ${python(groups)}`
  const steps = body.scheduler === 'plateau'
    ? '# after each epoch: scheduler.step(epoch + 1, metric)'
    : body.t_in_epochs === false
      ? '# after each optimizer update: scheduler.step_update(num_updates)'
      : '# after each epoch: scheduler.step(epoch + 1)'
  return [`from timm.scheduler import ${variant.timmClass}`, '', optimizer, `scheduler = ${variant.timmClass}(${args.join(', ')})`, steps].join('\n')
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
  $('#copy-status').textContent = copied ? `Copied the ${button.getAttribute('aria-describedby').replace('-title', '')} snippet.` : 'Selected: press Ctrl+C (⌘C) to copy.'
  button.dataset.copied = copied ? 'true' : 'false'
}

async function downloadCsv (event) {
  event.preventDefault()
  const body = readBody()
  const response = await post(body, 'csv')
  if (!response.ok) {
    showProblem(await problemOf(response))
    return
  }
  const blob = await response.blob()
  const link = element('a', { href: URL.createObjectURL(blob), download: `${body.scheduler}-schedule.csv` })
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
}

// ---------------------------------------------------------------- state

/** The form as typed (text as text), kept while another scheduler is shown. */
function remember () {
  if (!state.current) return
  const values = {}
  for (const control of $$('#config [id^="input-"]')) {
    const name = control.id.slice('input-'.length)
    if (name.startsWith('param_groups/')) continue
    values[name] = control.type === 'checkbox' ? control.checked : control.value
  }
  values.unit = $('input[name=unit]:checked')?.value
  syncGroups()
  values.param_groups = state.groups.map((group) => ({ ...group }))
  state.memory.set(state.current, values)
}

function fromHash () {
  if (location.hash.length < 2) return null
  try {
    const body = JSON.parse(decodeURIComponent(location.hash.slice(1)))
    return body && typeof body.scheduler === 'string' ? body : null
  } catch {
    return null
  }
}

async function main () {
  let doc
  try {
    const response = await fetch(api.openapi, { headers: { accept: 'application/json' } })
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`)
    doc = await response.json()
    state.variants = readVariants(doc)
  } catch (error) {
    $('#status').textContent = `Could not read the API document (${api.openapi.pathname}): ${error.message}`
    $('#chart').dataset.state = 'error'
    return
  }
  const select = $('#scheduler')
  select.replaceChildren(...[...state.variants.values()].map((variant) => element('option', { value: variant.name, text: `${variant.name} · ${variant.timmClass}` })))
  select.disabled = false

  const linked = fromHash()
  const first = linked && state.variants.has(linked.scheduler) ? linked.scheduler : state.variants.has('step') ? 'step' : [...state.variants.keys()][0]
  select.value = first
  buildForm(first, linked?.scheduler === first ? linked : STARTERS[first] ?? {})

  select.addEventListener('change', () => {
    const name = select.value
    remember()
    clearErrors()
    $('#form-error').hidden = true
    buildForm(name, state.memory.get(name) ?? STARTERS[name] ?? {})
    redraw()
  })
  const form = $('#config')
  form.addEventListener('input', (event) => {
    if (event.target === select) return
    schedule()
  })
  form.addEventListener('change', (event) => {
    // Checkboxes, radios and selects redraw at once; text waits for a pause in typing.
    if (event.target === select || event.target.type === 'text' || event.target.tagName === 'TEXTAREA') return
    redraw()
  })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    redraw()
  })
  $('#add-group').addEventListener('click', () => {
    syncGroups()
    const last = state.groups[state.groups.length - 1]
    state.groups.push({ lr: last?.lr ?? '', lr_scale: '0.5' })
    renderGroups()
    document.getElementById(`input-param_groups/${state.groups.length - 1}/lr_scale`)?.focus()
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
  $('#download-csv').addEventListener('click', downloadCsv)
  await redraw()
}

main()
