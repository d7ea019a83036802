/**
 * What exists: the reads before a plan, mapped into the model by `aws/`. The spine reads the gateway (its
 * load balancer, REST APIs, VPC links and the APIs that use them); each feature reads its own part
 * (features/<name>/discover.ts).
 */
import { all } from '../base/concurrency.js'
import { unlessNotFound } from '../aws/call.js'
import type { AwsContext } from '../aws/context.js'
import { resolveLoadBalancer } from '../aws/load-balancers.js'
import * as restApi from '../aws/rest-api.js'
import { listVpcLinks } from '../aws/vpc-links.js'
import type { CreateConfig, DeleteConfig } from '../config/inputs.js'
import type { RestApiSummary, VpcLink } from '../model/model.js'
import { isOurs } from '../model/ownership.js'
import {
  apisToDelete,
  chooseApi,
  chooseLink,
  deleteCandidates,
  linksUsedBy,
  namesLinksByVariables,
  routeTo,
  spareLinks,
  type CreateDiscovery,
  type DeleteDiscovery,
  type ExistingApi
} from '../core/plan.js'
import {
  discoverDomainsOf,
  discoverDomainsOfDelete,
  listDomainsToSweep
} from '../features/domain/discover.js'
import { discoverKeysOfCreate, discoverKeysOfDelete } from '../features/keys/discover.js'
import { discoverCanary } from '../features/canary/discover.js'
import { canaryLinks, checkCanaryOf } from '../features/canary/plan-feature.js'
import { discoverSettingsFirst, discoverStageSettings } from '../features/settings/discover.js'
import { discoverGatewayResponses } from '../features/cors/discover.js'
import { checkedAuthorizerInputs, discoverAuthorizers } from '../features/authorizer/discover.js'

export async function discoverCreate(ctx: AwsContext, config: CreateConfig): Promise<CreateDiscovery> {
  return ctx.log.group('Discover', async () => {
    const [loadBalancer, { apis, serverTime: listedAt }, canaryLb] = await all([
      resolveLoadBalancer(ctx, config.loadBalancer),
      restApi.listRestApisAt(ctx),
      discoverCanary(ctx, config)
    ])
    const ofCluster = config.clusterName ? ` of Cortex cluster ${config.clusterName}` : ''
    ctx.log.info(
      `Load balancer${ofCluster}: ${loadBalancer.name} (${loadBalancer.type}, ${loadBalancer.scheme}) ` +
        loadBalancer.arn
    )
    // fail on a wrong scheme or load balancer before reading more
    const route = routeTo(config, loadBalancer)
    const canary = canaryLb && { loadBalancer: canaryLb }
    if (canaryLb)
      ctx.log.info(
        `Canary's load balancer: ${canaryLb.name} (${canaryLb.type}, ${canaryLb.scheme}) ${canaryLb.arn}`
      )
    checkCanaryOf(config, { loadBalancer, canary })
    const sameName = apis.filter(a => a.name === config.apiName)
    // refuses a name taken by an API that is not ours before anything else is read or said
    const chosen = chooseApi(config, sameName)
    const [api, listed, domain, cloudWatchRole, gatewayResponses, authorizers] = await all([
      chosen ? readApi(ctx, chosen, config.stage) : Promise.resolve(undefined),
      route.vpcLink ? listVpcLinks(ctx, route.vpcLink.version) : Promise.resolve([] as VpcLink[]),
      discoverDomainsOf(ctx, config, chosen?.tags ?? {}),
      discoverSettingsFirst(ctx, config, !chosen),
      discoverGatewayResponses(ctx, chosen?.id),
      discoverAuthorizers(ctx, chosen?.id)
    ])
    await discoverStageSettings(ctx, config, api)
    // links the API goes through that the list above does not hold: the other kind (a switch
    // between v1 and v2, or from internal to internet-facing), read so the old one can go
    const known = new Set(listed.map(l => l.id))
    const others = (['v1', 'v2'] as const).filter(v => v !== route.vpcLink?.version)
    const vpcLinks = [...linksUsedBy(api)].some(id => !known.has(id))
      ? [...listed, ...(await all(others.map(v => listVpcLinks(ctx, v)))).flat()]
      : listed
    ctx.log.info(
      api ? `REST API "${config.apiName}": ${api.summary.id}` : `REST API "${config.apiName}": none yet`
    )
    // links this run might remove: which other gateways of ours still go through them
    const keep = route.vpcLink
      ? [
          chooseLink(config, loadBalancer, route.vpcLink, { vpcLinks, api }).link,
          ...canaryLinks(config, canaryLb, { vpcLinks, api })
        ]
      : []
    const ours = apis.filter(a => isOurs(a.tags, config.owner))
    const candidates = spareLinks(config, { vpcLinks, api, ours }, keep)
    const gateways = ours.filter(a => a.name !== config.apiName)
    // this API's other stages count too (this stage is what this run makes it)
    const self = api && namesLinksByVariables(api.resources) ? [api.summary.id] : []
    const linkUsers = await readLinkUsers(
      ctx,
      [...gateways.map(a => a.id), ...self],
      new Set(candidates.map(l => l.id)),
      api && { apiId: api.summary.id, stage: config.stage }
    )
    const keys = await discoverKeysOfCreate(ctx, config, api, apis)
    // the pools or the function the inputs name are read where the run makes or changes the authorizer
    return checkedAuthorizerInputs(ctx, config, {
      loadBalancer,
      sameName,
      listedAt,
      api,
      vpcLinks,
      linkUsers,
      ours,
      domain,
      cloudWatchRole,
      keys,
      canary,
      gatewayResponses,
      authorizers
    })
  })
}

export async function discoverDelete(ctx: AwsContext, config: DeleteConfig): Promise<DeleteDiscovery> {
  return ctx.log.group('Discover', async () => {
    // the region's domains, for the sweep, beside the first reads (not with delete-on-exit: it takes only
    // what its step made)
    const [apis, v1, v2, listedDomains] = await all([
      restApi.listRestApis(ctx),
      listVpcLinks(ctx, 'v1'),
      listVpcLinks(ctx, 'v2'),
      config.only ? Promise.resolve(undefined) : listDomainsToSweep(ctx)
    ])
    const sameName = apis.filter(a => a.name === config.apiName)
    const vpcLinks = [...v1, ...v2]
    // the links each API to delete goes through: the last gateway to go takes its link along
    const going = apisToDelete(config, sameName)
    const read = new Map(
      await all(
        going.map(async a => {
          const [resources, stages, authorizers] = await all([
            restApi.getResources(ctx, a.id),
            restApi.getStages(ctx, a.id),
            discoverAuthorizers(ctx, a.id)
          ])
          return [a.id, { resources, stages, authorizers }] as const
        })
      )
    )
    const authorizers = new Map([...read].map(([id, c]) => [id, c.authorizers ?? []]))
    const contents = new Map([...read].map(([id, c]) => [id, { resources: c.resources, stages: c.stages }]))
    const ours = apis.filter(a => isOurs(a.tags, config.owner))
    const candidates = deleteCandidates(config, { vpcLinks, contents, ours })
    const others = ours.filter(a => !going.includes(a))
    const [linkUsers, domain] = await all([
      readLinkUsers(
        ctx,
        others.map(a => a.id),
        new Set(candidates.map(l => l.id))
      ),
      // where the APIs are served, and (not with delete-on-exit) domains of ours serving nothing, to sweep
      discoverDomainsOfDelete(ctx, going, config.only ? undefined : config.owner, listedDomains)
    ])
    const stages = [...contents.values()].flatMap(c => c.stages)
    const found = await discoverKeysOfDelete(ctx, config, stages, apis)
    return { sameName, vpcLinks, contents, linkUsers, ours, domain, keys: found, listed: apis, authorizers }
  })
}

/**
 * For each of `linkIds`, the APIs among `apiIds` whose integrations go through it (one read per
 * API, none without links). An API gone meanwhile goes through nothing.
 */
export async function readLinkUsers(
  ctx: AwsContext,
  apiIds: string[],
  linkIds: Set<string>,
  /** A stage this run makes what it wants: of its API, only the other stages count. */
  except?: { apiId: string; stage: string }
): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>()
  if (linkIds.size === 0 || apiIds.length === 0) return users
  const used = await all(
    apiIds.map(async id => {
      const resources = (await unlessNotFound(restApi.getResources(ctx, id))) ?? []
      // integrations that name their link by a stage variable go through what the stages (and canaries) set
      const stages = namesLinksByVariables(resources)
        ? ((await unlessNotFound(restApi.getStages(ctx, id))) ?? []).filter(
            s => id !== except?.apiId || s.name !== except.stage
          )
        : []
      const links = linksUsedBy({ resources, stages })
      if (id === except?.apiId) for (const l of linksUsedBy({ resources, stages: [] })) links.delete(l)
      return { id, links }
    })
  )
  for (const { id, links } of used) {
    for (const link of links) if (linkIds.has(link)) users.set(link, [...(users.get(link) ?? []), id])
  }
  return users
}

async function readApi(ctx: AwsContext, summary: RestApiSummary, stageName: string): Promise<ExistingApi> {
  const [resources, stage] = await all([
    restApi.getResources(ctx, summary.id),
    restApi.getStage(ctx, summary.id, stageName)
  ])
  const deploymentDescription = stage?.deploymentId
    ? await restApi.getDeploymentDescription(ctx, summary.id, stage.deploymentId)
    : undefined
  return { summary, resources, stage, deploymentDescription }
}
