/** What a create reads to settle a race: the API every racing run keeps, what a racing delete took. */
import { all } from '../base/concurrency.js'
import type { AwsContext } from '../aws/context.js'
import * as restApi from '../aws/rest-api.js'
import { getVpcLink } from '../aws/vpc-links.js'
import type { CreateConfig } from '../config/inputs.js'
import { chooseOwnedApi } from '../core/plan.js'
import * as domains from '../features/domain/aws-domains.js'
import type { RestApiSummary, VpcLinkVersion } from '../model/model.js'
import { isOurs } from '../model/ownership.js'

/** How many times a run looks again for racing twins before it decides anyway. */
const SETTLE_LOOKS = 24
/** Between looks while AWS's clock is still in the second to wait out. */
const SETTLE_POLL_MS = 200
/** Our clock past that second by this much, AWS's most likely is too: the first look goes then. */
const SETTLE_MARGIN_MS = 20

/**
 * The API of the name every racing run keeps (the oldest, then the lowest id). AWS dates APIs to
 * the whole second, so a twin made in the same second as the one kept may still be on its way when
 * we look; the answer only counts once AWS's own clock (a listing's Date) has passed that second,
 * when every twin of that second is listed (a twin of a later second loses to it whatever its id).
 * Then every run sees the same APIs with the same dates, and keeps the same one. `made`: the API
 * this run made (counted while not yet listed; the first look waits until our clock says the
 * second has passed); `listing`: one already read (the discovery's), looked at first.
 */
export async function findSurvivor(
  ctx: AwsContext,
  config: CreateConfig,
  made: { id: string; createdDate?: Date } | undefined,
  listing?: { apis: RestApiSummary[]; serverTime?: Date }
): Promise<string | undefined> {
  const second = (d: Date): number => Math.floor(d.getTime() / 1000)
  // when our clock (which NTP keeps close to AWS's) says the second of `d` is over
  const waitPast = async (d: Date | undefined): Promise<void> => {
    const ms = d ? (second(d) + 1) * 1000 + SETTLE_MARGIN_MS - ctx.now() : 0
    await ctx.sleep(ms > 0 ? Math.min(ms, 1000) : SETTLE_POLL_MS)
  }
  if (!listing && made?.createdDate && (second(made.createdDate) + 1) * 1000 > ctx.now())
    await waitPast(made.createdDate)
  for (let look = 1; ; look++) {
    const { apis, serverTime } = listing ?? (await restApi.listRestApisAt(ctx))
    listing = undefined
    const owned = apis.filter(a => a.name === config.apiName && isOurs(a.tags, config.owner))
    // ours, made but not listed yet, counts with the date AWS gave it
    const unlisted = made?.createdDate && !owned.some(a => a.id === made.id)
    const kept = chooseOwnedApi(unlisted ? [...owned, { ...made } as RestApiSummary] : owned)
    if (!kept) return made?.id
    const settled = !serverTime || !kept.createdDate || second(serverTime) > second(kept.createdDate)
    if (settled || look >= SETTLE_LOOKS || ctx.now() + SETTLE_POLL_MS > ctx.deadline) {
      if (!settled)
        ctx.log.warning(
          `AWS's clock did not pass the second REST API ${kept.id} was made in; deciding on what is listed`
        )
      return kept.id
    }
    ctx.log.debug(
      `REST API ${kept.id} was made in the second AWS is still in: looking for racing twins again`
    )
    await waitPast(kept.createdDate)
  }
}

/** Removes the mappings of `apiId` on the domain `name` (an API this run made, and now deletes). */
export async function unmapApi(ctx: AwsContext, name: string, apiId: string): Promise<void> {
  const mappings = (await domains.getBasePathMappings(ctx, name)) ?? []
  for (const m of mappings.filter(m => m.restApiId === apiId)) {
    await domains.deleteBasePathMapping(ctx, name, m.basePath)
  }
}

/** Why the API or VPC link a round built on is no longer there; undefined when both are. */
export async function whatIsGone(
  ctx: AwsContext,
  apiId: string,
  link: { id: string; version: VpcLinkVersion } | undefined
): Promise<string | undefined> {
  const [api, current] = await all([
    restApi.getRestApi(ctx, apiId),
    link ? getVpcLink(ctx, link.id, link.version) : Promise.resolve(undefined)
  ])
  if (!api) return `REST API ${apiId} is gone`
  if (link && (!current || current.status === 'DELETING' || current.status === 'FAILED')) {
    return `VPC link ${link.id} is ${current ? current.status : 'gone'}`
  }
  return undefined
}
