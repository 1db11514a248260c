/**
 * Running a torch scheduler the way the tests need it: from a request's fields, or
 * from a golden case.
 */
import type { AnySchedulerDefinition, ParamGroup } from '../../../src/schedules/core/define.js'
import { byGroup, scheduleValues } from '../../../src/schedules/core/evaluate.js'
import { definitionOf, parametersSchema, requestFields, torchCases, type TorchCase } from './fixtures.js'

/** Every group's values at steps 0 .. count - 1, one array per group. */
export function values (definition: AnySchedulerDefinition, fields: Record<string, unknown>, groups: ParamGroup[], count: number): number[][] {
  const params = parametersSchema(definition, groups.length).parse(fields)
  return byGroup(scheduleValues(definition.create(params, groups), groups.length, 0, count), groups.length).map((column) => Array.from(column))
}

export function goldenCase (id: string): TorchCase {
  const found = torchCases.find((c) => c.id === id)
  if (found === undefined) throw new Error(`no golden case ${id}`)
  return found
}

/** A golden case through the engine: `[t][g]`, as the case lists its values. */
export function engineRows (c: TorchCase, count = c.expected.lr.length): number[][] {
  const groups = c.param_groups
  const columns = values(definitionOf(c.scheduler), requestFields(c), groups, count)
  return Array.from({ length: count }, (_, t) => columns.map((column) => column[t]))
}

/** An example's request body as the definition's fields and param groups, and its count. */
export function exampleRequest (definition: AnySchedulerDefinition): { fields: Record<string, unknown>, groups: ParamGroup[], count: number | undefined } {
  const { lr, param_groups: paramGroups, count, start, ...fields } = definition.example.value as Record<string, unknown>
  void start
  const groups = (paramGroups as ParamGroup[] | undefined) ?? [{ lr: lr as number }]
  return { fields, groups, count: count as number | undefined }
}
