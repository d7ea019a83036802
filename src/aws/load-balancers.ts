import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  type LoadBalancer as SdkLoadBalancer,
  type TagDescription
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { all } from '../base/concurrency.js'
import { Cortex, Inputs } from '../base/constants.js'
import { InputError, isAwsError } from '../base/errors.js'
import type { LoadBalancerRef } from '../config/inputs.js'
import type { LoadBalancer } from '../model/model.js'
import { counted } from '../report/words.js'
import { call, unlessNotFound } from './call.js'
import type { AwsContext } from './context.js'
import { allPages, findInPages } from './paging.js'
import { classicByDnsName, classicByName, classicWithTags } from './classic-load-balancers.js'

/** DescribeTags takes at most this many load balancers a call. */
const TAGS_BATCH = 20

function toLoadBalancer(lb: SdkLoadBalancer): LoadBalancer {
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    dnsName: (lb.DNSName ?? '').toLowerCase(),
    scheme: lb.Scheme === 'internal' ? 'internal' : 'internet-facing',
    type: lb.Type ?? 'unknown',
    vpcId: lb.VpcId,
    subnetIds: (lb.AvailabilityZones ?? []).flatMap(az => (az.SubnetId ? [az.SubnetId] : [])),
    securityGroupIds: lb.SecurityGroups ?? []
  }
}

/**
 * Finds the load balancer by ARN, or by DNS name across all pages (ELBv2 has no DNS filter; a
 * Classic ELB is looked for only when no ELBv2 one has it), or a Classic ELB by its name.
 */
export async function resolveLoadBalancer(ctx: AwsContext, ref: LoadBalancerRef): Promise<LoadBalancer> {
  if (ref.kind === 'cluster') return clusterLoadBalancer(ctx, ref.clusterName)
  if (ref.kind === 'name') {
    const classic = await classicByName(ctx, ref.name)
    if (classic) return classic
    throw new InputError(
      Inputs.LoadBalancer,
      `no Classic ELB named ${ref.name} in region ${ctx.region}` +
        ' (a Network or Application Load Balancer is named by its DNS name or ARN)'
    )
  }
  if (ref.kind === 'arn') {
    const out = await unlessNotFound(
      call(ctx, 'DescribeLoadBalancers', () =>
        ctx.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [ref.arn] }))
      ),
      'LoadBalancerNotFoundException',
      'ValidationError'
    )
    const found = out?.LoadBalancers?.[0]
    if (found) return toLoadBalancer(found)
    throw new InputError(Inputs.LoadBalancer, `no load balancer with ARN ${ref.arn} in region ${ctx.region}`)
  }

  // (ELBv2 has no DNS filter: page until it is found)
  const { found, seen } = await findInPages(
    async marker => {
      const out = await call(ctx, 'DescribeLoadBalancers', () =>
        ctx.elb.send(new DescribeLoadBalancersCommand({ PageSize: 400, Marker: marker }))
      )
      return { items: out.LoadBalancers ?? [], next: out.NextMarker }
    },
    lb => (lb.DNSName ?? '').toLowerCase() === ref.dnsName
  )
  if (found) return toLoadBalancer(found)
  const classic = await classicByDnsName(ctx, ref.dnsName)
  if (classic.found) return classic.found

  const elsewhere =
    ref.region && ref.region !== ctx.region
      ? `; its DNS name says region ${ref.region}: set the '${Inputs.Region}' input to it`
      : ''
  throw new InputError(
    Inputs.LoadBalancer,
    `no load balancer with DNS name ${ref.dnsName} in region ${ctx.region} ` +
      `(${counted(seen + classic.seen, 'load balancer')} looked at, Classic ELBs among them)${elsewhere}`
  )
}

/**
 * The Cortex cluster's API load balancer, by the tags Cortex gives it (`cortex.dev/cluster-name`
 * and `kubernetes.io/service-name` = `istio-system/ingressgateway-apis`): every load balancer of
 * the region, their tags read 20 at a time. Exactly one must match.
 */
async function clusterLoadBalancer(ctx: AwsContext, clusterName: string): Promise<LoadBalancer> {
  const lbs = await allPages(async marker => {
    const out = await call(ctx, 'DescribeLoadBalancers', () =>
      ctx.elb.send(new DescribeLoadBalancersCommand({ PageSize: 400, Marker: marker }))
    )
    return { items: out.LoadBalancers ?? [], next: out.NextMarker }
  })
  const arns = lbs.flatMap(lb => (lb.LoadBalancerArn ? [lb.LoadBalancerArn] : []))
  const batches = Array.from({ length: Math.ceil(arns.length / TAGS_BATCH) }, (_, i) =>
    arns.slice(i * TAGS_BATCH, (i + 1) * TAGS_BATCH)
  )
  const described = (await all(batches.map(batch => tagsOf(ctx, batch)))).flat()
  const matching = new Set(
    described
      .filter(d => isClusterApi(new Map((d.Tags ?? []).map(t => [t.Key, t.Value])), clusterName))
      .map(d => d.ResourceArn)
  )
  let found = lbs.filter(lb => matching.has(lb.LoadBalancerArn)).map(toLoadBalancer)
  let seen = lbs.length
  // a cluster of api_load_balancer_type: elb has a Classic ELB: looked for only when no ELBv2 one is its
  if (found.length === 0) {
    const classic = await classicWithTags(ctx)
    found = classic.filter(c => isClusterApi(c.tags, clusterName)).map(c => c.lb)
    seen += classic.length
  }
  const lookedFor =
    `a load balancer tagged ${Cortex.ClusterTag}=${clusterName} and ` +
    `${Cortex.ServiceTag}=${Cortex.ApiService} (or ${Cortex.LoadBalancerTag}=${Cortex.ApiLoadBalancer})`
  if (found.length === 0) {
    throw new InputError(
      Inputs.ClusterName,
      `no Cortex cluster "${clusterName}" in region ${ctx.region}: looked for ${lookedFor} among ` +
        `${seen} load balancers (Classic ELBs among them). ` +
        `Check the cluster's name and region (or pass '${Inputs.LoadBalancer}')`
    )
  }
  if (found.length > 1) {
    throw new InputError(
      Inputs.ClusterName,
      `${found.length} load balancers in region ${ctx.region} are ${lookedFor}: ` +
        `${found.map(lb => `${lb.name} (${lb.arn})`).join(', ')}. ` +
        `Pass the one to use as '${Inputs.LoadBalancer}'`
    )
  }
  return found[0]
}

/** Tagged as Cortex tags its cluster's API load balancer. */
function isClusterApi(tags: Map<string | undefined, string | undefined>, clusterName: string): boolean {
  return (
    tags.get(Cortex.ClusterTag) === clusterName &&
    (tags.get(Cortex.ServiceTag) === Cortex.ApiService ||
      tags.get(Cortex.LoadBalancerTag) === Cortex.ApiLoadBalancer)
  )
}

/**
 * The tags of these load balancers (at most 20). One deleted since it was listed makes AWS refuse
 * the whole call: the batch is split until the ones still there are read.
 */
async function tagsOf(ctx: AwsContext, arns: string[]): Promise<TagDescription[]> {
  try {
    const out = await call(ctx, 'DescribeTags', () =>
      ctx.elb.send(new DescribeTagsCommand({ ResourceArns: arns }))
    )
    return out.TagDescriptions ?? []
  } catch (error) {
    if (!isAwsError(error, 'LoadBalancerNotFoundException', 'LoadBalancerNotFound')) throw error
    if (arns.length === 1) return []
    const half = Math.ceil(arns.length / 2)
    return (await all([tagsOf(ctx, arns.slice(0, half)), tagsOf(ctx, arns.slice(half))])).flat()
  }
}
