/**
 * Classic ELBs (Cortex's `api_load_balancer_type: elb`), read with the Classic ELB API
 * (2012-06-01): by DNS name, by name, or every one of the region with its tags.
 */
import type { LoadBalancerDescription, TagDescription } from '@aws-sdk/client-elastic-load-balancing'
import { all } from '../base/concurrency.js'
import { isAwsError } from '../base/errors.js'
import type { LoadBalancer } from '../model/model.js'
import { call } from './call.js'
import type { AwsContext } from './context.js'
import { allPages, findInPages } from './paging.js'

/** DescribeTags takes at most this many load balancers a call; DescribeLoadBalancers pages of 400. */
const TAGS_BATCH = 20
const PAGE_SIZE = 400
/** What the Classic ELB API calls a load balancer it does not know. */
const NOT_FOUND = ['AccessPointNotFoundException', 'LoadBalancerNotFound']

/** The partition of a region, for an ARN: aws, aws-cn or aws-us-gov. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}

/**
 * A Classic ELB in the model. The Classic API gives no ARN: it is built as AWS writes it
 * (`arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/NAME`), the account being the owner of
 * the load balancer's source security group (in a VPC, the account's own).
 */
export function toClassic(lb: LoadBalancerDescription, region: string): LoadBalancer {
  const name = lb.LoadBalancerName ?? ''
  const account = lb.SourceSecurityGroup?.OwnerAlias ?? ''
  return {
    arn: `arn:${partitionOf(region)}:elasticloadbalancing:${region}:${account}:loadbalancer/${name}`,
    name,
    dnsName: (lb.DNSName ?? '').toLowerCase(),
    scheme: lb.Scheme === 'internal' ? 'internal' : 'internet-facing',
    type: 'classic',
    vpcId: lb.VPCId,
    subnetIds: lb.Subnets ?? [],
    securityGroupIds: lb.SecurityGroups ?? []
  }
}

async function page(ctx: AwsContext, marker: string | undefined) {
  const { client, elb } = await ctx.elbClassic()
  const out = await call(ctx, 'DescribeLoadBalancers', () =>
    client.send(new elb.DescribeLoadBalancersCommand({ PageSize: PAGE_SIZE, Marker: marker }))
  )
  return { items: out.LoadBalancerDescriptions ?? [], next: out.NextMarker }
}

/** The Classic ELB of this DNS name, reading no more pages than it takes; and how many were looked at. */
export async function classicByDnsName(
  ctx: AwsContext,
  dnsName: string
): Promise<{ found?: LoadBalancer; seen: number }> {
  const { found, seen } = await findInPages(
    marker => page(ctx, marker),
    lb => (lb.DNSName ?? '').toLowerCase() === dnsName
  )
  return { found: found && toClassic(found, ctx.region), seen }
}

/** The Classic ELB of this name; undefined when the region has none. */
export async function classicByName(ctx: AwsContext, name: string): Promise<LoadBalancer | undefined> {
  const { client, elb } = await ctx.elbClassic()
  try {
    const out = await call(ctx, 'DescribeLoadBalancers', () =>
      client.send(new elb.DescribeLoadBalancersCommand({ LoadBalancerNames: [name] }))
    )
    const found = out.LoadBalancerDescriptions?.[0]
    return found && toClassic(found, ctx.region)
  } catch (error) {
    if (isAwsError(error, ...NOT_FOUND)) return undefined
    throw error
  }
}

/** Every Classic ELB of the region, with its tags (read 20 load balancers a call). */
export async function classicWithTags(
  ctx: AwsContext
): Promise<{ lb: LoadBalancer; tags: Map<string, string> }[]> {
  const lbs = await allPages(marker => page(ctx, marker))
  const names = lbs.flatMap(lb => (lb.LoadBalancerName ? [lb.LoadBalancerName] : []))
  const batches = Array.from({ length: Math.ceil(names.length / TAGS_BATCH) }, (_, i) =>
    names.slice(i * TAGS_BATCH, (i + 1) * TAGS_BATCH)
  )
  const described = (await all(batches.map(batch => tagsOf(ctx, batch)))).flat()
  const byName = new Map(
    described.map(d => [d.LoadBalancerName, new Map((d.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']))])
  )
  return lbs.map(lb => ({
    lb: toClassic(lb, ctx.region),
    tags: byName.get(lb.LoadBalancerName) ?? new Map<string, string>()
  }))
}

/**
 * The tags of these Classic ELBs (at most 20). One deleted since it was listed makes AWS refuse the
 * whole call: the batch is split until the ones still there are read.
 */
async function tagsOf(ctx: AwsContext, names: string[]): Promise<TagDescription[]> {
  const { client, elb } = await ctx.elbClassic()
  try {
    const out = await call(ctx, 'DescribeTags', () =>
      client.send(new elb.DescribeTagsCommand({ LoadBalancerNames: names }))
    )
    return out.TagDescriptions ?? []
  } catch (error) {
    if (!isAwsError(error, ...NOT_FOUND)) throw error
    if (names.length === 1) return []
    const half = Math.ceil(names.length / 2)
    return (await all([tagsOf(ctx, names.slice(0, half)), tagsOf(ctx, names.slice(half))])).flat()
  }
}
