/** The outputs of a run and its invoke URL; the run's report itself is a type of report/run.ts. */
import { Outputs, type OutputName } from '../base/constants.js'
import type { RunOutcome, RunResult } from '../report/run.js'
export type { RunOutcome, RunResult }
import type { CreateConfig } from '../config/inputs.js'
import type { AliasTarget } from '../features/domain/plan.js'
import { apiKeyIdsOutput } from '../features/keys/plan.js'
import { share } from '../features/canary/steps.js'
import { accountOf, executionArn } from '../features/authorizer/plan.js'

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
  apiKeys: { name: string; id: string; value?: string }[] = [],
  /** The authorizer the proxied methods use, once it exists. */
  authorizerId?: string
): Partial<Record<OutputName, string>> {
  const domain = config.domain
  const names = config.settings.apiKeys
  const first = apiKeys.find(k => k.name === names[0])
  return {
    [Outputs.ApiKeyIds]: apiKeyIdsOutput(names, apiKeys),
    [Outputs.ApiKey]: first?.value ?? '',
    // the proxied methods' authorizer: none for NONE and AWS_IAM
    [Outputs.AuthorizerId]: authorizerId ?? '',
    // the account is the load balancer's: DescribeLoadBalancers lists the caller's own only
    [Outputs.ExecutionArn]: executionArn(config.region, accountOf(loadBalancerArn), apiId),
    [Outputs.DomainUrl]: domain ? `https://${domain.name}/${domain.basePath}` : '',
    [Outputs.DomainTarget]: domain ? (domainTarget?.dnsName ?? '') : '',
    [Outputs.DomainHostedZoneId]: domain ? (domainTarget?.zoneId ?? '') : '',
    [Outputs.InvokeUrl]: apiId ? invokeUrl(config.region, apiId, config.stage) : '',
    [Outputs.ApiId]: apiId ?? '',
    [Outputs.Stage]: config.stage,
    [Outputs.VpcLinkId]: vpcLinkId ?? '',
    [Outputs.Scheme]: scheme,
    [Outputs.LoadBalancerArn]: loadBalancerArn,
    [Outputs.CanaryPercent]: config.canary ? share(config.canary.percent) : ''
  }
}
