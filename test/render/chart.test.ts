import t from 'tap'
import { downsample, MAX_POINTS_PER_LINE, renderChart } from '../../src/render/chart.js'
import { comparisonTitle, planTitle, scheduleTitle } from '../../src/render/title.js'

/** The text of every `<text>` element, in order. */
function texts (svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .map((match) => match[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'))
}

/** The `d` of each drawn line (vega's line marks), in series order. */
function linePaths (svg: string): string[] {
  return [...svg.matchAll(/class="mark-line[^"]*"[^>]*>((?:<path[^>]*\/>)+)/g)]
    .flatMap((match) => [...match[1].matchAll(/ d="([^"]*)"/g)].map((d) => d[1]))
}

/**
 * The points a path draws. Lines are drawn as steps (step-after: a value holds until
 * the next step), so a run of k points visits 2k - 1 coordinates.
 */
function coordinates (d: string): number {
  return d.split('M').slice(1).reduce((sum, run) => sum + ((run.match(/L/g) ?? []).length + 2) / 2, 0)
}

const halving = Array.from({ length: 50 }, (_, e) => 1e-4 * 0.5 ** Math.floor(e / 5))

t.test('a schedule chart: title, axis titles, ticks, one line with every point', async (t) => {
  const svg = await renderChart({ title: 'StepLRScheduler · decay_t=5, decay_rate=0.5', subtitle: 'lr=0.0001', xLabel: 'epoch', series: [{ name: 'group 0', points: halving, start: 0 }] })
  t.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  const labels = texts(svg)
  t.ok(labels.includes('StepLRScheduler · decay_t=5, decay_rate=0.5'), 'the title')
  t.ok(labels.includes('lr=0.0001'), 'the subtitle')
  t.ok(labels.includes('epoch'), 'the x axis title')
  t.ok(labels.includes('learning rate'), 'the y axis title')
  for (const tick of ['0', '10', '20', '40']) t.ok(labels.includes(tick), `x tick ${tick}`)
  for (const tick of ['1e-4', '5e-5', '0']) t.ok(labels.includes(tick), `LR tick ${tick}`)
  t.notOk(labels.includes('group 0'), 'no legend for a single line')
  const paths = linePaths(svg)
  t.equal(paths.length, 1)
  t.equal(coordinates(paths[0]), 50, 'a point per epoch')
  t.match(svg, /<title>StepLRScheduler · decay_t=5, decay_rate=0.5<\/title>/)
  t.match(svg, /<desc>group 0: 50 steps from t=0; first 0.0001, last 1.953125e-7, min 1.953125e-7, max 0.0001<\/desc>/)
})

t.test('the SVG is self-contained and CSP-safe', async (t) => {
  const svg = await renderChart({ title: 'x', xLabel: 'update', series: [{ name: 'a', points: [1, 2], start: 0 }, { name: 'b', points: [2, 1], start: 0 }] })
  t.notMatch(svg, /<script|<style|style="|<image|<foreignObject|@import|url\(|href=/i)
  t.notMatch(svg, /https?:\/\/(?!www\.w3\.org\/)/, 'no URL but the namespaces')
  t.notMatch(svg, / on[a-z]+=/i, 'no event handlers')
})

t.test('several lines: a legend entry each, a path each', async (t) => {
  const warm = halving.map((lr, e) => e < 2 ? 1e-5 + e * 4.5e-5 : lr)
  const svg = await renderChart({ title: 'Comparison', xLabel: 'epoch', series: [{ name: 'With warmup', points: warm, start: 0 }, { name: 'Without warmup', points: halving, start: 0 }, { name: 'group 2', points: halving.slice(0, 20), start: 10 }] })
  const labels = texts(svg)
  for (const name of ['With warmup', 'Without warmup', 'group 2']) t.ok(labels.includes(name), `legend: ${name}`)
  t.same(linePaths(svg).map(coordinates), [50, 50, 20])
  t.match(svg, /group 2: 20 steps from t=10/)
})

t.test('null steps are gaps: the path breaks', async (t) => {
  const points = [0.1, 0.1, null, null, 0.05, 0.05, Number.NaN, 0.025]
  const svg = await renderChart({ title: 'gaps', xLabel: 'update', series: [{ name: 'group 0', points, start: 0 }] })
  const [d] = linePaths(svg)
  t.equal((d.match(/M/g) ?? []).length, 3, 'three runs')
  t.equal(coordinates(d), 5, 'only the defined points')
  t.match(svg, /3 without a value/)
})

t.test('nothing to draw still renders, and says so', async (t) => {
  const svg = await renderChart({ title: 'raw per update of an epoch schedule', xLabel: 'update', series: [{ name: 'group 0', points: [null, null, null], start: 5 }] })
  t.ok(texts(svg).includes('no step has a value to draw'))
  t.match(svg, /group 0: 3 steps from t=5; no values/)
})

t.test('log scale: decades on the axis; values <= 0 left out, not fatal', async (t) => {
  const points = Array.from({ length: 40 }, (_, e) => 0.1 * 0.5 ** e)
  points[39] = 0
  points[38] = -1
  const svg = await renderChart({ title: 'log', xLabel: 'epoch', series: [{ name: 'group 0', points, start: 0 }], logScale: true })
  const labels = texts(svg)
  t.ok(labels.includes('learning rate (log scale)'))
  t.ok(labels.includes('values <= 0 left out of the log axis'))
  for (const tick of ['1e-2', '1e-6', '1e-10']) t.ok(labels.includes(tick), `decade ${tick}`)
  t.equal(coordinates(linePaths(svg)[0]), 38)
  const all = await renderChart({ title: 'log', xLabel: 'epoch', series: [{ name: 'group 0', points: [0, 0, -1], start: 0 }], logScale: true })
  t.ok(texts(all).includes('values <= 0 left out of the log axis · no step has a value to draw'))
})

t.test('downsampling keeps the first, last, min and max of a long series', async (t) => {
  const n = 1_000_000
  const points = new Float64Array(n)
  for (let i = 0; i < n; i++) points[i] = 1e-3 * (1 + Math.cos(Math.PI * i / n)) / 2
  points[123_457] = 5e-3 // a spike
  points[654_321] = -1e-3 // a dip
  const { t: steps, lr } = downsample(points, 100)
  t.ok(steps.length <= MAX_POINTS_PER_LINE, `${steps.length} points`)
  t.equal(steps[0], 100, 'the first step')
  t.equal(steps[steps.length - 1], 100 + n - 1, 'the last step')
  t.ok(steps.includes(100 + 123_457), 'the maximum')
  t.ok(steps.includes(100 + 654_321), 'the minimum')
  t.equal(Math.max(...lr as number[]), 5e-3)
  t.equal(Math.min(...lr as number[]), -1e-3)
  t.ok(steps.every((step, k) => k === 0 || step > steps[k - 1]), 'ascending')
  t.ok(steps.every((step, k) => lr[k] === points[step - 100]), 'every value kept is the series value at that step')

  const svg = await renderChart({ title: 'long', xLabel: 'update', series: [{ name: 'group 0', points, start: 0 }] })
  t.ok(coordinates(linePaths(svg)[0]) <= MAX_POINTS_PER_LINE, 'the path is drawn from the downsampled points')
  t.ok(texts(svg).includes('500k'), 'the update axis in thousands')
  t.match(svg, /group 0: 1000000 steps from t=0; first 0.001, last .*, min -0.001, max 0.005/)
})

t.test('downsampling keeps gaps', async (t) => {
  const points: (number | null)[] = Array.from({ length: 100_000 }, (_, i) => i >= 40_000 && i < 60_000 ? null : 1)
  const { t: steps, lr } = downsample(points, 0)
  t.ok(lr.includes(null))
  const firstGap = lr.indexOf(null)
  t.ok(steps[firstGap] >= 40_000 && steps[firstGap] < 60_000)
  t.ok(steps.slice(0, firstGap).every((step) => step < 40_000))
  t.same(downsample([1, null, 3], 7), { t: [7, 8, 9], lr: [1, null, 3] }, 'a short series is kept whole')
})

t.test('titles name the class and the parameters that differ from timm\'s defaults', async (t) => {
  t.same(scheduleTitle({ scheduler: 'step', lr: 1e-4, decay_t: 5, decay_rate: 0.5, warmup_t: 2, warmup_lr_init: 1e-5, warmup_prefix: true, noise_range_t: null, unit: 'epoch', count: 50 }),
    { title: ['StepLRScheduler · decay_t=5, decay_rate=0.5, warmup_t=2, warmup_lr_init=1e-05'], subtitle: 'lr=0.0001' })
  t.same(scheduleTitle({ scheduler: 'cosine', t_initial: 100, param_groups: [{ lr: 0.1 }, { lr: 0.1, lr_scale: 0.5 }], view: 'raw' }),
    { title: ['CosineLRScheduler · t_initial=100'], subtitle: 'lr=[0.1, 0.1], lr_scale=[None, 0.5] · view=raw' })
  t.same(scheduleTitle({ scheduler: 'multistep', lr: 0.1, decay_t: [30, 60, 90], decay_rate: 1, noise_range_t: [10, 40] }).title,
    ['MultiStepLRScheduler · decay_t=[30, 60, 90], noise_range_t=[10, 40]'])
  const long = scheduleTitle({ scheduler: 'cosine', lr: 0.1, t_initial: 300, lr_min: 1e-6, cycle_mul: 2, cycle_decay: 0.5, cycle_limit: 3, k_decay: 1.5, warmup_t: 5, warmup_lr_init: 1e-5, noise_range_t: 10, noise_seed: 7 })
  t.ok(long.title.length > 1, 'a long list wraps')
  t.ok(long.title.every((line) => line.length <= 88))
  t.equal(long.title.join(' '), 'CosineLRScheduler · t_initial=300, lr_min=1e-06, cycle_mul=2, cycle_decay=0.5, cycle_limit=3, k_decay=1.5, warmup_t=5, warmup_lr_init=1e-05, noise_range_t=10, noise_seed=7')
  t.same(scheduleTitle({ scheduler: 'torch.SequentialLR', lr: 0.1, schedulers: [{ scheduler: 'torch.LinearLR', start_factor: 0.1 }, { scheduler: 'torch.CosineAnnealingLR', T_max: 95 }], milestones: [5], count: 100 }).title,
    ['SequentialLR · schedulers=[LinearLR, CosineAnnealingLR], milestones=[5]'], 'nested schedulers by their class')
  t.same(comparisonTitle([
    { scheduler: 'step', lr: 1e-4, decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5 },
    { scheduler: 'step', lr: 1e-4, decay_t: 5, decay_rate: 0.8 }
  ]), { title: ['StepLRScheduler · decay_t=5, decay_rate=0.8'], subtitle: 'lr=0.0001' })
  t.same(planTitle({ sched: 'step', epochs: 50, decay_epochs: 5, lr: 0.1, warmup_epochs: 5 }, { scheduler_class: 'StepLRScheduler', num_epochs: 50, updates_per_epoch: 10 }),
    { title: ['StepLRScheduler (train.py) · sched=\'step\', epochs=50, decay_epochs=5'], subtitle: 'lr=0.1 · 50 epochs × 10 updates' })
})

t.test('a line is drawn as steps: each value holds until the next step', async (t) => {
  const svg = await renderChart({ title: 'steps', xLabel: 'epoch', series: [{ name: 'group 0', points: [1, 2, 3], start: 0 }] })
  const [d] = linePaths(svg)
  const points = [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((match) => [Number(match[1]), Number(match[2])])
  t.equal(points.length, 5)
  for (let k = 1; k < points.length; k++) {
    t.ok(points[k][0] === points[k - 1][0] || points[k][1] === points[k - 1][1], 'every segment is horizontal or vertical')
  }
})

t.test('a series name that XML cannot hold still gives well-formed SVG', async (t) => {
  const svg = await renderChart({ title: 'names', xLabel: 'epoch', series: [{ name: 'a\u0001b<&>\ud800', points: [1, 2], start: 0 }, { name: 'plain', points: [2, 1], start: 0 }] })
  // eslint-disable-next-line no-control-regex
  t.notMatch(svg, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udfff]/u, 'no character XML 1.0 forbids')
  t.ok(texts(svg).includes('a\ufffdb<&>\ufffd'), 'the name, with U+FFFD where a character could not be kept')
})
