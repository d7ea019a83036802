/** What the canary reads: the new cluster's load balancer, found as `load-balancer` is, errors naming its input. */
import type { AwsContext } from '../../aws/context.js'
import { resolveLoadBalancer } from '../../aws/load-balancers.js'
import { InputError } from '../../base/errors.js'
import type { CreateConfig } from '../../config/inputs.js'
import type { LoadBalancer } from '../../model/model.js'

export async function discoverCanary(
  ctx: AwsContext,
  config: CreateConfig
): Promise<LoadBalancer | undefined> {
  const canary = config.canary
  if (!canary) return undefined
  try {
    return await resolveLoadBalancer(ctx, canary.loadBalancer)
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(canary.input, error.message.replace(/^Input '[^']*': /, ''))
    throw error
  }
}
