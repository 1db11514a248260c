/**
 * What the schedule routes answer, and the one place that writes it out. A route
 * builds an `Answer` (the JSON shape of SPEC §3, with the engine's Float64Arrays as
 * the value lists) and hands it to `sendAnswer`, which picks the format; JSON is
 * written here by hand, because a 1,000,000-value answer must not go through a
 * schema walk or a per-value object.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { PlanAnswer, ScheduleAnswer, Values } from '../render/answer.js'
import type { PlanRequest, ScheduleRequest } from './schemas.js'

export type { PlanAnswer, ScheduleAnswer, Values }

/** `GET /v1/schedules/{scheduler}/lr`: one step. */
export interface PointAnswer {
  t: number
  lr: number | null
  param_groups: ReadonlyArray<{ lr: number | null }>
}

/** An answer with the validated request it answers (a renderer may title a chart with it). */
export type Answer =
  | { kind: 'schedule', request: ScheduleRequest, body: ScheduleAnswer }
  | { kind: 'plan', request: PlanRequest, body: PlanAnswer }
  | { kind: 'point', request: ScheduleRequest, body: PointAnswer }

/** Values are stringified this many at a time, so no temporary array grows with the answer. */
const CHUNK = 1 << 16

/**
 * A JSON array of numbers: each double as JavaScript's shortest round-trip decimal,
 * which JSON.parse (or Python's json) reads back as the same double.
 */
export function jsonValues (values: Values): string {
  if (values.length <= CHUNK) return JSON.stringify(Array.from(values))
  const parts: string[] = []
  for (let i = 0; i < values.length; i += CHUNK) {
    const end = Math.min(i + CHUNK, values.length)
    const chunk = values instanceof Float64Array ? Array.from(values.subarray(i, end)) : Array.prototype.slice.call(values, i, end)
    parts.push(JSON.stringify(chunk).slice(1, -1))
  }
  return `[${parts.join(',')}]`
}

/** `{...head, "lr": group 0, "param_groups": [{"lr": ...}, ...]}`, each list written once. */
function jsonSeries (head: Record<string, string | number>, groups: ReadonlyArray<{ lr: Values }>): string {
  const rows = groups.map((group) => jsonValues(group.lr))
  const opening = JSON.stringify(head).slice(0, -1)
  return `${opening},"lr":${rows[0] ?? '[]'},"param_groups":[${rows.map((row) => `{"lr":${row}}`).join(',')}]}`
}

export function answerJson (answer: Answer): string {
  switch (answer.kind) {
    case 'schedule': {
      const { scheduler, unit, start, count, param_groups: groups } = answer.body
      return jsonSeries({ scheduler, unit, start, count }, groups)
    }
    case 'plan': {
      const { num_epochs: numEpochs, updates_per_epoch: updatesPerEpoch, scheduler_class: schedulerClass, param_groups: groups } = answer.body
      return jsonSeries({ num_epochs: numEpochs, updates_per_epoch: updatesPerEpoch, scheduler_class: schedulerClass }, groups)
    }
    case 'point':
      return JSON.stringify(answer.body)
  }
}

/**
 * Sends an answer in the format the request asks for. JSON is the only one yet;
 * other formats (CSV, SVG) are negotiated here, from `request`.
 */
export function sendAnswer (_request: FastifyRequest, reply: FastifyReply, answer: Answer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(answerJson(answer))
}
