/** What a run reports: its outcome, its outputs, the steps it took, the calls it made. */
import { Outputs, type OutputName } from './constants.js'
import type { CallRecord } from './aws/context.js'
import type { CreateConfig } from './inputs.js'
import type { AliasTarget } from './plan-domain.js'
import { apiKeyIdsOutput } from './plan-keys.js'

export type RunOutcome =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'deleted'
  | 'absent'
  | 'would-create'
  | 'would-update'
  | 'would-delete'

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
  /** A create's REST settings in use, one line each (never a key's value). */
  settings?: string[]
  calls: CallRecord[]
}

export function invokeUrl(region: string, apiId: string, stage: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'
  return `https://${apiId}.execute-api.${region}.${domain}/${stage}`
}

/** The outputs of a create, or of its dry run (no invoke URL before the API exists). */
export function createOutputs(
  config: CreateConfig,
  apiId: string | undefined,
  vpcLinkId: string | undefined,
  scheme: string,
  loadBalancerArn: string,
  /** The custom domain's target, once it exists. */
  domainTarget?: AliasTarget,
  /** The keys of `api-keys` known (found, or made by the run), with their values where read. */
  apiKeys: { name: string; id: string; value?: string }[] = []
): Partial<Record<OutputName, string>> {
  const domain = config.domain
  const names = config.settings.apiKeys
  const first = apiKeys.find(k => k.name === names[0])
  return {
    [Outputs.ApiKeyIds]: apiKeyIdsOutput(names, apiKeys),
    [Outputs.ApiKey]: first?.value ?? '',
    [Outputs.DomainUrl]: domain ? `https://${domain.name}/${domain.basePath}` : '',
    [Outputs.DomainTarget]: domain ? (domainTarget?.dnsName ?? '') : '',
    [Outputs.DomainHostedZoneId]: domain ? (domainTarget?.zoneId ?? '') : '',
    [Outputs.InvokeUrl]: apiId ? invokeUrl(config.region, apiId, config.stage) : '',
    [Outputs.ApiId]: apiId ?? '',
    [Outputs.Stage]: config.stage,
    [Outputs.VpcLinkId]: vpcLinkId ?? '',
    [Outputs.Scheme]: scheme,
    [Outputs.LoadBalancerArn]: loadBalancerArn
  }
}
