/** The canary's inputs: a new cluster given a share of the stage's traffic, checked before any AWS call. */
import { Inputs } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import type { InputRow } from '../../config/input-row.js'
import { parseLoadBalancer, type LoadBalancerRef } from '../../config/load-balancer.js'
import { quoted } from '../../report/safe-text.js'

export interface CanaryConfig {
  /** The new cluster's API load balancer, as named or by its cluster's name. */
  loadBalancer: LoadBalancerRef
  /** The input that named it, for errors. */
  input: string
  /** Its share of the stage's requests, 0 to 100. */
  percent: number
}

export const DEFAULT_CANARY_PERCENT = 10

const row = (name: string, arg: string, description: string, more: Partial<InputRow> = {}): InputRow => ({
  name,
  type: 'string',
  description,
  flag: { arg },
  modes: 'create',
  ...more
})

export const CANARY_INPUTS: InputRow[] = [
  row(
    Inputs.CanaryLoadBalancer,
    'DNS|ARN',
    "a new cluster's API load balancer: it gets canary-percent of the\nstage's requests (a stage canary)"
  ),
  row(Inputs.CanaryClusterName, 'NAME', 'instead: the new Cortex cluster, found by its tags'),
  row(Inputs.CanaryPercent, 'PERCENT', `the canary's share, 0 to 100 (default ${DEFAULT_CANARY_PERCENT})`, {
    default: DEFAULT_CANARY_PERCENT
  })
]

const CLUSTER_NAME_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** The canary inputs; undefined without a canary (`canary-percent` alone is its default, and means nothing). */
export function parseCanary(text: (name: string) => string): CanaryConfig | undefined {
  const lbText = text(Inputs.CanaryLoadBalancer)
  const cluster = text(Inputs.CanaryClusterName)
  if (lbText && cluster) {
    throw new InputError(
      Inputs.CanaryClusterName,
      `give either '${Inputs.CanaryClusterName}' or '${Inputs.CanaryLoadBalancer}', not both`
    )
  }
  const percent = parsePercent(text(Inputs.CanaryPercent))
  if (cluster) {
    if (!CLUSTER_NAME_RE.test(cluster) || cluster.length < 3 || cluster.length > 54) {
      throw new InputError(
        Inputs.CanaryClusterName,
        'must be a Cortex cluster name: 3 to 54 lower-case letters and digits, words joined by single hyphens'
      )
    }
    return {
      loadBalancer: { kind: 'cluster', clusterName: cluster, raw: cluster },
      input: Inputs.CanaryClusterName,
      percent
    }
  }
  if (!lbText) return undefined
  return {
    loadBalancer: renamed(Inputs.CanaryLoadBalancer, () => parseLoadBalancer(lbText)),
    input: Inputs.CanaryLoadBalancer,
    percent
  }
}

/** 0 to 100, decimals allowed; '' is the default. */
export function parsePercent(value: string): number {
  if (value === '') return DEFAULT_CANARY_PERCENT
  const n = /^\d{1,3}(\.\d+)?$/.test(value) ? Number(value) : NaN
  if (!(n >= 0 && n <= 100)) {
    throw new InputError(
      Inputs.CanaryPercent,
      `${quoted(value)} is not a share from 0 to 100 (a number, decimals allowed, without '%')`
    )
  }
  return n
}

/** A check made for one input, its error naming another (the canary's, that took the same form). */
export function renamed<T>(input: string, check: () => T): T {
  try {
    return check()
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(input, error.message.replace(/^Input '[^']*': /, ''))
    }
    throw error
  }
}
