/** What a run reports: its outcome, its outputs, the steps it took, the calls it made. */
import type { OutputName } from '../base/constants.js'

/** One AWS call a run made: what it was, whether it wrote, how many tries, how it ended. */
export interface CallRecord {
  operation: string
  write: boolean
  attempts: number
  ok: boolean
}

export type RunOutcome =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'deleted'
  | 'absent'
  | 'would-create'
  | 'would-update'
  | 'would-delete'

/** A stage canary, as the summary draws it: the other load balancer, its share in percent, its VPC link. */
export interface Canary {
  target: string
  percent: number
  vpcLinkId?: string
}

export interface RunResult {
  mode: 'create' | 'delete'
  dryRun: boolean
  region: string
  outcome: RunOutcome
  outputs: Partial<Record<OutputName, string>>
  /** The plan, one line a step. */
  steps: string[]
  /** The Cortex cluster whose load balancer a create found by `cluster-name`. */
  clusterName?: string
  /** A create's traffic with a canary: each cluster with its share (`10 % to <new>, 90 % to <current>`). */
  shares?: string
  /** A create's REST settings in use, one line each (never a key's value). */
  settings?: string[]
  /** A create's stage canary: the share of the stage's traffic sent to another load balancer, and its VPC link. */
  canary?: Canary
  /** The custom domains a delete removed (a dry run: would remove). */
  domains?: string[]
  calls: CallRecord[]
}
