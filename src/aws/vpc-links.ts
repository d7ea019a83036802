import {
  CreateVpcLinkCommand,
  DeleteVpcLinkCommand,
  GetVpcLinkCommand,
  GetVpcLinksCommand,
  type VpcLink as SdkVpcLink
} from '@aws-sdk/client-api-gateway'
import { ActionError, isAwsError } from '../errors.js'
import { call, type AwsContext } from './context.js'

export interface VpcLink {
  id: string
  name: string
  status: string
  statusMessage?: string
  targetArns: string[]
  tags: Record<string, string>
}

function toVpcLink(l: SdkVpcLink): VpcLink {
  return {
    id: l.id ?? '',
    name: l.name ?? '',
    status: l.status ?? 'UNKNOWN',
    statusMessage: l.statusMessage,
    targetArns: l.targetArns ?? [],
    tags: l.tags ?? {}
  }
}

export async function listVpcLinks(ctx: AwsContext): Promise<VpcLink[]> {
  const links: VpcLink[] = []
  let position: string | undefined
  do {
    const out = await call(ctx, 'GetVpcLinks', () => ctx.apigw.send(new GetVpcLinksCommand({ limit: 500, position })))
    links.push(...(out.items ?? []).map(toVpcLink))
    position = out.position && out.position !== position ? out.position : undefined
  } while (position)
  return links
}

export async function getVpcLink(ctx: AwsContext, vpcLinkId: string): Promise<VpcLink | undefined> {
  try {
    return toVpcLink(await call(ctx, 'GetVpcLink', () => ctx.apigw.send(new GetVpcLinkCommand({ vpcLinkId }))))
  } catch (error) {
    if (isAwsError(error, 'NotFoundException')) return undefined
    throw error
  }
}

export async function createVpcLink(
  ctx: AwsContext,
  input: { name: string; targetArn: string; description: string; tags: Record<string, string> },
  /** Finds the link a create whose answer was lost made, so a retry does not make a second. */
  findMade?: () => Promise<VpcLink | undefined>
): Promise<VpcLink> {
  return call(
    ctx,
    'CreateVpcLink',
    async () =>
      toVpcLink(
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

/** True when a delete was started, false when the link was already gone. */
export async function deleteVpcLink(ctx: AwsContext, vpcLinkId: string): Promise<boolean> {
  try {
    await call(ctx, 'DeleteVpcLink', () => ctx.apigw.send(new DeleteVpcLinkCommand({ vpcLinkId })))
    return true
  } catch (error) {
    if (isAwsError(error, 'NotFoundException')) return false
    throw error
  }
}

/**
 * Deletes a link and waits until it is gone. AWS refuses (BadRequestException) while a stage
 * still references it, as when another API uses it: then it is kept, with a warning.
 */
export async function deleteVpcLinkAndWait(
  ctx: AwsContext,
  vpcLinkId: string,
  { wait = true }: { wait?: boolean } = {}
): Promise<'deleted' | 'gone' | 'kept'> {
  let started: boolean
  try {
    started = await deleteVpcLink(ctx, vpcLinkId)
  } catch (error) {
    if (isAwsError(error, 'BadRequestException')) {
      ctx.log.warning(`VPC link ${vpcLinkId} is kept: ${error.message}`)
      return 'kept'
    }
    throw error
  }
  if (!started) return 'gone'
  if (wait) await waitForVpcLinkGone(ctx, vpcLinkId)
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
    if (!current) throw new ActionError(`VPC link ${link.id} disappeared while waiting for it to become AVAILABLE`)
    if (current.status === 'AVAILABLE') {
      if (poll > 0) ctx.log.info(`VPC link ${link.id} is AVAILABLE after ${seconds(ctx.now() - started)}`)
      return current
    }
    if (current.status === 'FAILED') {
      throw new ActionError(
        `VPC link ${link.id} (${link.name}) FAILED: ${current.statusMessage ?? 'AWS gave no reason'}. ` +
          'Check that the load balancer is a Network Load Balancer in this account and region, then delete the link and re-run'
      )
    }
    if (current.status === 'DELETING') {
      throw new ActionError(`VPC link ${link.id} (${link.name}) is being deleted; re-run once it is gone`)
    }
    const delay = pollDelayMs(poll)
    if (ctx.now() + delay > ctx.deadline) {
      throw new ActionError(
        `Timed out after ${seconds(ctx.now() - started)} waiting for VPC link ${link.id} to become AVAILABLE ` +
          `(still ${current.status}): raise the 'timeout' input; a re-run picks up the same link`
      )
    }
    ctx.log.info(`Waiting for VPC link ${link.id}: ${current.status} after ${seconds(ctx.now() - started)}`)
    await ctx.sleep(delay)
    current = await getVpcLink(ctx, link.id)
  }
}

/** There is no DELETED status: a deleted link is gone when GetVpcLink answers NotFound. */
export async function waitForVpcLinkGone(ctx: AwsContext, vpcLinkId: string): Promise<void> {
  const started = ctx.now()
  for (let poll = 0; ; poll++) {
    const current = await getVpcLink(ctx, vpcLinkId)
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
    ctx.log.info(`Waiting for VPC link ${vpcLinkId} to go: ${current.status} after ${seconds(ctx.now() - started)}`)
    await ctx.sleep(delay)
  }
}

export function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`
}
