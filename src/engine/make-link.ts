/** A VPC link made for this gateway: the one create both the stage's and the canary's link go through. */
import type { AwsContext } from '../aws/context.js'
import * as vpcLinks from '../aws/vpc-links.js'
import { linkLeadsTo } from '../core/links.js'
import type { CreatePlan } from '../core/plan.js'
import type { VpcLinkSpec } from '../model/model.js'
import { madeFor } from '../model/ownership.js'
import type { ApplyHooks } from './run.js'

/**
 * Creates the link `spec` names (a v1 link says who made it); a lost answer finds the link again among
 * the links made for this gateway that lead where `spec` does, so no second one is made.
 */
export function createOurVpcLink(
  ctx: AwsContext,
  plan: CreatePlan,
  hooks: ApplyHooks,
  spec: VpcLinkSpec
): ReturnType<typeof vpcLinks.createVpcLink> {
  return vpcLinks.createVpcLink(
    ctx,
    spec.version === 'v1' ? { ...spec, description: `Made by ${hooks.madeBy}` } : spec,
    async () =>
      (await vpcLinks.listVpcLinks(ctx, spec.version)).find(
        l => madeFor(l.tags, plan.owner, plan.apiName) && linkLeadsTo(l, spec, plan.owner)
      )
  )
}
