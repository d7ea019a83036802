/**
 * DeleteRestApi is limited to one call per 30 s per account and region, shared by every workflow
 * in it: twenty previews closing at once take ten minutes whatever anyone does. Runs that each
 * back off blind leave the slot idle after it opens and spend the account's budget on 429s, so a
 * run that finds the slot taken lines up instead:
 *
 * - it tags its own API with the time it joined the line (`Tags.DeleteQueued`), which every run of
 *   this action in the account can read in one GetRestApis;
 * - the line is every API so tagged (joined within the longest 'timeout'), oldest first, then by
 *   id; only the first in line tries, and again a second later while it is refused;
 * - the next in line reads the line every few seconds; once the API ahead is gone it tries 30 s
 *   after it last saw it there, which is when the slot opens at the earliest;
 * - the others read the line less often, the further back they are;
 * - a run that the line puts past its deadline fails at once, saying so, instead of timing out.
 *
 * An API at the head of the line whose run is gone (its turn came and went with it still there)
 * is passed over. Deletes by anything else in the account (the console, other tools) only make
 * the head's tries wait longer.
 */
import * as restApi from './aws/rest-api.js'
import type { AwsContext } from './aws/context.js'
import { MAX_TIMEOUT_SECONDS, Tags } from './constants.js'
import { ActionError, isAwsError } from './errors.js'
import type { RestApiSummary } from './model.js'

/** One DeleteRestApi per this long, per account and region. */
export const DELETE_PERIOD_MS = 30_000
/** How often the first in line tries while refused, and the next in line reads the line. */
const HEAD_RETRY_MS = 1_000
/** How often the first in line tries when it has not seen the delete before its own go. */
const HEAD_BLIND_MS = 4_000
const NEXT_LOOK_MS = 3_000
/** The tag's value once a run has given up waiting. */
const LEFT = 'left'
/** The longest the others wait between looks at the line. */
const FAR_LOOK_MS = 30_000
/** A head of the line still there this long after its turn came is taken to have no run left. */
const STALE_HEAD_MS = 2.5 * DELETE_PERIOD_MS

interface Place {
  /** How many are ahead in the line. */
  ahead: number
  /** The API right ahead, if any. */
  next?: string
  /** The line, first to last. */
  line: string[]
}

function placeIn(apis: RestApiSummary[], restApiId: string, now: number, passedOver: Set<string>): Place {
  const since = now - MAX_TIMEOUT_SECONDS * 1000
  const line = apis
    .flatMap(a => {
      const joined = Number(a.tags[Tags.DeleteQueued])
      return Number.isFinite(joined) && joined >= since && !passedOver.has(a.id) ? [{ id: a.id, joined }] : []
    })
    .sort((a, b) => a.joined - b.joined || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const at = line.findIndex(e => e.id === restApiId)
  const ahead = at < 0 ? line.length : at
  return { ahead, next: ahead > 0 ? line[ahead - 1].id : undefined, line: line.map(e => e.id) }
}

/** DeleteRestApi once; 'throttled' if the account's slot is taken. */
async function tryDelete(ctx: AwsContext, restApiId: string): Promise<boolean | 'throttled'> {
  try {
    return await restApi.deleteRestApi(ctx, restApiId, { onThrottle: 'fail' })
  } catch (error) {
    if (isAwsError(error, 'TooManyRequestsException')) return 'throttled'
    throw error
  }
}

/**
 * Deletes the REST API, waiting its turn in the account's line when the slot is taken. True if
 * this run deleted it, false if it was gone already.
 */
export async function deleteRestApiInTurn(ctx: AwsContext, restApiId: string): Promise<boolean> {
  const first = await tryDelete(ctx, restApiId)
  if (first !== 'throttled') return first
  const joined = ctx.now()
  await restApi.tagRestApi(ctx, restApiId, { [Tags.DeleteQueued]: String(joined) })
  ctx.log.info(
    `DeleteRestApi is busy in this account (one call per ${DELETE_PERIOD_MS / 1000} s for every ` +
      `workflow in it): REST API ${restApiId} joins the line of deletes`
  )
  try {
    return await waitInLine(ctx, restApiId)
  } catch (error) {
    // a run that gives up leaves the line, so that those behind it need not wait it out
    await restApi.tagRestApi(ctx, restApiId, { [Tags.DeleteQueued]: LEFT }).catch(() => undefined)
    throw error
  }
}

async function waitInLine(ctx: AwsContext, restApiId: string): Promise<boolean> {
  /** When an API ahead was last seen in the line: the slot opens 30 s after its delete at the earliest. */
  let aheadSeenAt: number | undefined
  /** The API right ahead, how far back this run was then, and since when. */
  let watching: { id: string; ahead: number; since: number } | undefined
  const passedOver = new Set<string>()
  let lastLine: string[] = []
  for (let round = 0; ; round++) {
    const lookedAt = ctx.now()
    const apis = await restApi.listRestApis(ctx)
    if (!apis.some(a => a.id === restApiId)) return false
    // an API deleted while one ahead of it stays: the one ahead has no run left to delete it
    const present = new Set(apis.map(a => a.id))
    const lastDeleted = Math.max(-1, ...lastLine.map((id, i) => (present.has(id) ? -1 : i)))
    for (const id of lastLine.slice(0, Math.max(0, lastDeleted))) if (present.has(id)) passedOver.add(id)
    const place = placeIn(apis, restApiId, lookedAt, passedOver)
    lastLine = place.line
    if (place.ahead > 0) {
      // the one right ahead, still there long after its turn: its run is gone
      if (watching === undefined || watching.id !== place.next || watching.ahead !== place.ahead)
        watching = { id: place.next!, ahead: place.ahead, since: lookedAt }
      else if (place.ahead === 1 && lookedAt - watching.since > STALE_HEAD_MS) {
        ctx.log.info(`REST API ${place.next} has held the head of the line too long: passing it over`)
        passedOver.add(place.next)
        // nobody went: the slot's last delete is not known
        aheadSeenAt = undefined
        continue
      }
      aheadSeenAt = lookedAt
      // at the earliest, the one ahead deletes now and each after it 30 s later
      const earliest = lookedAt + place.ahead * DELETE_PERIOD_MS
      if (earliest > ctx.deadline) {
        throw new ActionError(
          `${place.ahead} deletes of REST APIs are ahead of ${restApiId} in this account's line ` +
            `(DeleteRestApi: one call per ${DELETE_PERIOD_MS / 1000} s per account and region): the ` +
            `earliest it can go is in ${Math.ceil((earliest - ctx.now()) / 1000)} s, past this run's ` +
            `'timeout'. Raise 'timeout', or delete fewer gateways at once`
        )
      }
      if (round === 0 || round % 10 === 0)
        ctx.log.info(`${place.ahead} ahead of REST API ${restApiId} in the line of deletes`)
      await ctx.sleep(
        place.ahead === 1 ? NEXT_LOOK_MS : Math.min(FAR_LOOK_MS, ((place.ahead - 1) * DELETE_PERIOD_MS) / 2)
      )
      continue
    }
    // first in line. Having seen the one ahead go, the slot opens 30 s after it was last seen
    // at the earliest: wait until then, then try every second. Not having seen one (nobody was
    // ahead), the delete that holds the slot was made in the last 30 s: try every few seconds.
    const informed = aheadSeenAt !== undefined
    if (aheadSeenAt !== undefined) await ctx.sleep(Math.max(0, aheadSeenAt + DELETE_PERIOD_MS - ctx.now()))
    aheadSeenAt = undefined
    // then a look at the line again (another run may have joined before this one, by its clock):
    // after ten tries a second apart, or after each blind try
    for (let tries = 0; tries < (informed ? 10 : 1); tries++) {
      if (!informed || tries > 0) {
        const wait = informed ? HEAD_RETRY_MS : HEAD_BLIND_MS
        if (ctx.now() + wait > ctx.deadline)
          throw new ActionError(
            `DeleteRestApi of ${restApiId} was still refused (429) when this run's 'timeout' ran ` +
              `out: other deletes in the account kept the slot (one call per ${DELETE_PERIOD_MS / 1000} ` +
              "s per account and region): raise 'timeout'"
          )
        await ctx.sleep(wait)
      }
      const done = await tryDelete(ctx, restApiId)
      if (done !== 'throttled') return done
    }
  }
}
