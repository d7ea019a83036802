/**
 * VPC links of both kinds behind one shape: REST (v1, API Gateway's own API, one NLB target)
 * and v2 (the apigatewayv2 API, subnets and security groups; REST integrations name the load
 * balancer in integrationTarget).
 */
import {
  CreateVpcLinkCommand,
  DeleteVpcLinkCommand,
  GetVpcLinkCommand,
  GetVpcLinksCommand,
  type VpcLink as SdkVpcLink
} from '@aws-sdk/client-api-gateway'
import type { VpcLink as SdkVpcLinkV2 } from '@aws-sdk/client-apigatewayv2'
import { ActionError, ChangedUnderUs, isAwsError } from '../base/errors.js'
import { call, unlessNotFound } from './call.js'
import type { AwsContext } from './context.js'
import { allPages } from './paging.js'
import type { VpcLink, VpcLinkSpec, VpcLinkVersion } from '../model/model.js'

function fromV1(l: SdkVpcLink): VpcLink {
  return {
    version: 'v1',
    id: l.id ?? '',
    name: l.name ?? '',
    status: l.status ?? 'UNKNOWN',
    statusMessage: l.statusMessage,
    targetArns: l.targetArns ?? [],
    subnetIds: [],
    securityGroupIds: [],
    tags: l.tags ?? {}
  }
}

function fromV2(l: Partial<SdkVpcLinkV2>): VpcLink {
  return {
    version: 'v2',
    id: l.VpcLinkId ?? '',
    name: l.Name ?? '',
    status: l.VpcLinkStatus ?? 'UNKNOWN',
    statusMessage: l.VpcLinkStatusMessage,
    targetArns: [],
    subnetIds: l.SubnetIds ?? [],
    securityGroupIds: l.SecurityGroupIds ?? [],
    tags: l.Tags ?? {}
  }
}

export async function listVpcLinks(ctx: AwsContext, version: VpcLinkVersion = 'v1'): Promise<VpcLink[]> {
  if (version === 'v1') {
    return allPages(async position => {
      const out = await call(ctx, 'GetVpcLinks', () =>
        ctx.apigw.send(new GetVpcLinksCommand({ limit: 500, position }))
      )
      return { items: (out.items ?? []).map(fromV1), next: out.position }
    })
  }
  const { client, v2 } = await ctx.apigwv2()
  return allPages(async NextToken => {
    const out = await call(ctx, 'GetVpcLinksV2', () =>
      client.send(new v2.GetVpcLinksCommand({ MaxResults: '500', NextToken }))
    )
    return { items: (out.Items ?? []).map(fromV2), next: out.NextToken }
  })
}

export async function getVpcLink(
  ctx: AwsContext,
  vpcLinkId: string,
  version: VpcLinkVersion = 'v1'
): Promise<VpcLink | undefined> {
  if (version === 'v1') {
    const out = await unlessNotFound(
      call(ctx, 'GetVpcLink', () => ctx.apigw.send(new GetVpcLinkCommand({ vpcLinkId })))
    )
    return out && fromV1(out)
  }
  const { client, v2 } = await ctx.apigwv2()
  const out = await unlessNotFound(
    call(ctx, 'GetVpcLinkV2', () => client.send(new v2.GetVpcLinkCommand({ VpcLinkId: vpcLinkId })))
  )
  return out && fromV2(out)
}

/** A link to make, as the plan gives it; a v1 link also takes a description. */
export type NewVpcLink =
  | (Extract<VpcLinkSpec, { version: 'v1' }> & { description: string })
  | Extract<VpcLinkSpec, { version: 'v2' }>

export async function createVpcLink(
  ctx: AwsContext,
  input: NewVpcLink,
  /** Finds the link a create whose answer was lost made, so a retry does not make a second. */
  findMade?: () => Promise<VpcLink | undefined>
): Promise<VpcLink> {
  if (input.version === 'v1') {
    return call(
      ctx,
      'CreateVpcLink',
      async () =>
        fromV1(
          await ctx.apigw.send(
            new CreateVpcLinkCommand({
              name: input.name,
              description: input.description,
              targetArns: [input.targetArn],
              tags: input.tags
            })
          )
        ),
      { adopt: findMade }
    )
  }
  const { client, v2 } = await ctx.apigwv2()
  return call(
    ctx,
    'CreateVpcLinkV2',
    async () =>
      fromV2(
        await client.send(
          new v2.CreateVpcLinkCommand({
            Name: input.name,
            SubnetIds: input.subnetIds,
            SecurityGroupIds: input.securityGroupIds,
            Tags: input.tags
          })
        )
      ),
    { adopt: findMade }
  )
}

/** True when a delete was started, false when the link was already gone. */
export async function deleteVpcLink(
  ctx: AwsContext,
  vpcLinkId: string,
  version: VpcLinkVersion = 'v1'
): Promise<boolean> {
  if (version === 'v1') {
    return (
      (await unlessNotFound(
        call(ctx, 'DeleteVpcLink', () => ctx.apigw.send(new DeleteVpcLinkCommand({ vpcLinkId })))
      )) !== undefined
    )
  }
  const { client, v2 } = await ctx.apigwv2()
  const done = await unlessNotFound(
    call(ctx, 'DeleteVpcLinkV2', () => client.send(new v2.DeleteVpcLinkCommand({ VpcLinkId: vpcLinkId })))
  )
  return done !== undefined
}

/**
 * Deletes a link and waits until it is gone. AWS refuses (BadRequestException) while a stage
 * still references it, as when another API uses it: then it is kept, with a warning.
 */
export async function deleteVpcLinkAndWait(
  ctx: AwsContext,
  vpcLinkId: string,
  { wait = true, version = 'v1' }: { wait?: boolean; version?: VpcLinkVersion } = {}
): Promise<'deleted' | 'gone' | 'kept'> {
  let started: boolean
  try {
    started = await deleteVpcLink(ctx, vpcLinkId, version)
  } catch (error) {
    // v1 answers BadRequest, v2 Conflict, while an integration still uses the link
    if (isAwsError(error, 'BadRequestException', 'ConflictException')) {
      ctx.log.warning(`VPC link ${vpcLinkId} is kept: ${error.message}`)
      return 'kept'
    }
    throw error
  }
  if (!started) return 'gone'
  if (wait) await waitForVpcLinkGone(ctx, vpcLinkId, version)
  return 'deleted'
}

/** Poll intervals: quick at first (links often settle in minutes), then backing off to at most 10 s. */
export function pollDelayMs(poll: number): number {
  return Math.min(10_000, 2_000 + poll * 1_000)
}

/**
 * Waits for PENDING → AVAILABLE, logging progress; FAILED (or vanishing) is an error with AWS's
 * reason; bounded by the run's deadline.
 */
export async function waitForVpcLinkAvailable(ctx: AwsContext, link: VpcLink): Promise<VpcLink> {
  const started = ctx.now()
  let current: VpcLink | undefined = link
  for (let poll = 0; ; poll++) {
    if (!current)
      throw new ChangedUnderUs(`VPC link ${link.id} disappeared while waiting for it to become AVAILABLE`)
    if (current.status === 'AVAILABLE') {
      ctx.log.info(
        `VPC link ${link.id} is AVAILABLE${poll > 0 ? ` after ${seconds(ctx.now() - started)}` : ''}`
      )
      return current
    }
    if (current.status === 'FAILED') {
      throw new ActionError(
        `VPC link ${link.id} (${link.name}) FAILED: ${current.statusMessage ?? 'AWS gave no reason'}. ` +
          (link.version === 'v1'
            ? 'Check that the load balancer is a Network Load Balancer in this account and region'
            : 'Check the subnets and security groups (subnet-ids, security-group-ids)') +
          ', then delete the link and re-run'
      )
    }
    if (current.status === 'INACTIVE') {
      // v2 links go INACTIVE after 60 days without traffic; AWS sets them up again on use
      ctx.log.warning(
        `VPC link ${link.id} (${link.name}) is INACTIVE: it carried no traffic for 60 days. ` +
          'AWS provisions it again when requests arrive, which takes a few minutes; ' +
          'the first requests through it may fail until then'
      )
      return current
    }
    if (current.status === 'DELETING') {
      throw new ChangedUnderUs(`VPC link ${link.id} (${link.name}) is being deleted`)
    }
    const delay = pollDelayMs(poll)
    if (ctx.now() + delay > ctx.deadline) {
      throw new ActionError(
        `Timed out after ${seconds(ctx.now() - started)} waiting for VPC link ${link.id} ` +
          `to become AVAILABLE (still ${current.status}): ` +
          "raise the 'timeout' input; a re-run picks up the same link"
      )
    }
    ctx.log.info(`Waiting for VPC link ${link.id}: ${current.status} after ${seconds(ctx.now() - started)}`)
    await ctx.sleep(delay)
    current = await getVpcLink(ctx, link.id, link.version)
  }
}

/** There is no DELETED status: a deleted link is gone when GetVpcLink answers NotFound. */
export async function waitForVpcLinkGone(
  ctx: AwsContext,
  vpcLinkId: string,
  version: VpcLinkVersion = 'v1'
): Promise<void> {
  const started = ctx.now()
  for (let poll = 0; ; poll++) {
    const current = await getVpcLink(ctx, vpcLinkId, version)
    if (!current) {
      ctx.log.info(`VPC link ${vpcLinkId} is gone after ${seconds(ctx.now() - started)}`)
      return
    }
    const delay = pollDelayMs(poll)
    if (ctx.now() + delay > ctx.deadline) {
      throw new ActionError(
        `Timed out after ${seconds(ctx.now() - started)} waiting for VPC link ${vpcLinkId} to be deleted ` +
          `(still ${current.status}): raise the 'timeout' input; a re-run of delete finishes the job`
      )
    }
    ctx.log.info(
      `Waiting for VPC link ${vpcLinkId} to go: ${current.status} after ${seconds(ctx.now() - started)}`
    )
    await ctx.sleep(delay)
  }
}

export function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`
}
