/**
 * The golden vectors computed by torch.optim.lr_scheduler on PyTorch, read from
 * `../shared/fixtures/torch.json` beside the repository at run time (they are not
 * part of it), and the request-level parsing that the tests share.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { AnySchedulerDefinition, ParamGroup } from '../../../src/schedules/core/define.js'
import { registeredSchedulers } from '../../../src/schedules/index.js'

/** Every registered torch scheduler, in the registry's order. */
export const torchSchedulers = registeredSchedulers().filter((definition) => definition.reference.library === 'torch')

export interface TorchCase {
  id: string
  kind: 'torch'
  /** The class name, without the `torch.` prefix. */
  scheduler: string
  kwargs: Record<string, unknown>
  param_groups: ParamGroup[]
  steps: number
  metrics?: number[] | null
  /** `lr[t]`: every group's LR after t calls of step(); with `error`, the values before `at_step`. */
  expected: { lr: number[][], error?: string, at_step?: number | null }
}

export const fixturePath = fileURLToPath(new URL('../../../../shared/fixtures/torch.json', import.meta.url))

export const fixtures: { meta: Record<string, unknown>, cases: TorchCase[] } = JSON.parse(readFileSync(fixturePath, 'utf8'))

export const torchCases = fixtures.cases

export function definitionOf (className: string, definitions: readonly AnySchedulerDefinition[] = torchSchedulers): AnySchedulerDefinition {
  const definition = definitions.find((d) => d.name === `torch.${className}`)
  if (definition === undefined) throw new Error(`no definition for torch.${className}`)
  return definition
}

/** The fixture's kwargs as a request's fields: schedulers named `torch.<Class>`, plateau's metrics beside the rest. */
export function requestFields (c: Pick<TorchCase, 'kwargs' | 'metrics'>): Record<string, unknown> {
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename)
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, v]) =>
        [key, key === 'scheduler' && typeof v === 'string' ? `torch.${v}` : rename(v)]))
    }
    return value
  }
  const fields = rename(c.kwargs) as Record<string, unknown>
  return c.metrics === undefined || c.metrics === null ? fields : { ...fields, metrics: c.metrics }
}

/** A definition's parameters as the request schema validates them: unknown names refused, defaults filled, `check` run. */
export function parametersSchema (definition: AnySchedulerDefinition, groups: number): z.ZodType<any> {
  return z.strictObject(definition.shape).superRefine((params, ctx) => definition.check?.(params, ctx, groups))
}
