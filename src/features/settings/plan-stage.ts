/**
 * Pure: the stage's settings, row by row of the settings table (inputs.ts). Each is compared with what
 * the stage holds; one the action set and the input no longer asks for is set back to AWS's default, and
 * one a person set is left alone: the stage's settings tag says which the action set.
 */
import { Inputs, Tags } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import type { Patch, StageState } from '../../model/model.js'
import type { Change } from '../../report/words.js'
import {
  SETTINGS,
  STAGE_SETTINGS,
  type Setting,
  type Settings,
  type StagePartStep,
  type StageSetting
} from './inputs.js'

/** A step of the stage's settings. */
export type StageStep =
  /** One UpdateStage: the settings its patches set. */
  | { op: 'update-stage'; stage: string; patches: Patch[]; changes: Change[] }
  | { op: 'tag-stage'; stage: string; tags: Record<string, string> }
  | { op: 'untag-stage'; stage: string; keys: string[] }
  | StagePartStep

export interface StageSettingsPart {
  steps: StageStep[]
  /** The stage's tag brought to what is wanted: after everything the tag's old value still covers is undone. */
  after: StageStep[]
  /** The stage's tag of what the action set (a new stage is made with it). */
  stageTag: Record<string, string>
  /** Settings that need the account's CloudWatch Logs role (execution logs, access logs to a log group). */
  needsCloudWatchRole: boolean
}

/** Whether a setting asked for needs the account's CloudWatch Logs role (execution logs, access logs to CloudWatch). */
export function needsCloudWatchRole(settings: Settings): boolean {
  return (SETTINGS as readonly Setting<string, unknown>[]).some(
    s => s.needsCloudWatchRole?.((settings as Record<string, unknown>)[s.key]) ?? false
  )
}

/** Decodes a value written by `tagValue`. */
function fromTagValue(value: string): string {
  return value.replace(/(?:=[0-9A-F]{2})+/g, run =>
    Buffer.from(
      run
        .split('=')
        .slice(1)
        .map(h => parseInt(h, 16))
    ).toString('utf8')
  )
}

/** The groups a settings tag names. */
export const groupsIn = (value: string | undefined): Set<string> =>
  new Set(value ? fromTagValue(value).split(' ').filter(Boolean) : [])

/** What one row asks of the stage: its patches (and the change they make), or steps of its own. */
function rowChange(
  row: StageSetting,
  want: unknown,
  stage: StageState | undefined,
  ours: boolean,
  stageName: string
): { patches: Patch[]; change?: Change; steps: StagePartStep[] } {
  const part = row.stage
  const wanted = !part.same(want, part.none)
  if (part.steps) return { patches: [], steps: part.steps(want, stage?.settings?.[row.key], ours, stageName) }
  if (!part.set || !part.reset) return { patches: [], steps: [] }
  const have = stage?.settings ? stage.settings[row.key] : part.none
  // set when wanted and different; back to AWS's default when only the action had set it
  if (wanted ? part.same(want, have) : !ours || !stage?.settings || part.same(have, part.none))
    return { patches: [], steps: [] }
  const show = part.show ?? ((v: unknown) => (v === undefined ? 'off' : JSON.stringify(v)))
  const [from, to] = [show(have), show(wanted ? want : part.none)]
  // a new stage had nothing to change: the change says what is set; a change its text cannot show (an
  // access log's format) says it changed
  const change: Change = !stage
    ? { what: part.group, to }
    : from === to
      ? { what: part.group, to: `${to} (changed)` }
      : { what: part.group, from, to }
  return { patches: wanted ? part.set(want) : part.reset, change, steps: [] }
}

/**
 * The stage's settings: after the deployment (which makes a new stage), one UpdateStage for all the
 * patches, and the steps of the settings that have their own.
 */
export function planStageSettings(
  settings: Settings,
  stageName: string,
  stage: StageState | undefined
): StageSettingsPart {
  refuseStreamingWithCaching(settings, stageName, stage)
  const ours = groupsIn(stage?.tags[Tags.StageSettings])
  const wanted: string[] = []
  const patches: Patch[] = []
  const changes: Change[] = []
  const own: StageStep[] = []
  for (const row of STAGE_SETTINGS) {
    const want = (settings as Record<string, unknown>)[row.key]
    if (!row.stage.same(want, row.stage.none)) wanted.push(row.stage.group)
    const change = rowChange(row, want, stage, ours.has(row.stage.group), stageName)
    patches.push(...change.patches)
    if (change.change) changes.push(change.change)
    own.push(...change.steps)
  }
  const update: StageStep[] =
    patches.length > 0 ? [{ op: 'update-stage', stage: stageName, patches, changes }] : []
  const value = wanted.length > 0 ? wanted.join(' ') : undefined
  const stageTag: Record<string, string> = value ? { [Tags.StageSettings]: value } : {}
  const needsRole = needsCloudWatchRole(settings)
  if (!stage) return { steps: [...update, ...own], after: [], stageTag, needsCloudWatchRole: needsRole }
  const groups = STAGE_SETTINGS.map(r => r.stage.group)
  const union = groups.filter(g => ours.has(g) || wanted.includes(g))
  const before = union.length > 0 ? union.join(' ') : undefined
  const steps: StageStep[] = []
  // what the action set is written down before it is set: a run that stops still knows it
  if (before && before !== stage.tags[Tags.StageSettings])
    steps.push({ op: 'tag-stage', stage: stageName, tags: { [Tags.StageSettings]: before } })
  steps.push(...update, ...own)
  const after: StageStep[] =
    value === before
      ? []
      : [
          value
            ? { op: 'tag-stage', stage: stageName, tags: stageTag }
            : { op: 'untag-stage', stage: stageName, keys: [Tags.StageSettings] }
        ]
  return { steps, after, stageTag, needsCloudWatchRole: needsRole }
}

/**
 * AWS streams no response it has to hold whole: a stage that caches responses (its cache cluster or a
 * method's caching, which only a person sets here) cannot stream. Refused before any write, naming the input.
 */
function refuseStreamingWithCaching(
  settings: Settings,
  stageName: string,
  stage: StageState | undefined
): void {
  if (!settings.responseStreaming || stage?.caching !== true) return
  throw new InputError(
    Inputs.ResponseStreaming,
    `stage ${stageName} caches responses (its cache cluster or a method's caching is on), and AWS streams no ` +
      'response it caches: turn caching off on the stage (the console: stage settings), or leave ' +
      'response-streaming off'
  )
}
