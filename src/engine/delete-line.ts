/**
 * DeleteRestApi is limited to one call per 30 s per account and region, shared by every workflow
 * in it: twenty previews closing at once take ten minutes whatever anyone does. Runs that each
 * back off blind leave the slot idle after it opens and spend the account's budget on 429s, so a
 * run that finds the slot taken lines up instead:
 *
 * - it tags its own API with when it joined the line and when it stops waiting (its deadline),
 *   `Tags.DeleteQueued` = `<joined>/<deadline>` in epoch ms, which every run of this action in
 *   the account reads in one GetRestApis;
 * - the line is every API of this action's so tagged (managed-by: made by the action, from any
 *   repository, since the slot is every repository's) whose run still waits (its deadline not
 *   passed), oldest first, then by id; the tag on an API the action did not make is no entry;
 *   only the first in line tries, and again a second later while refused;
 * - the next in line reads the line every few seconds; once the API ahead is gone it tries 30 s
 *   after it last saw it there, which is when the slot opens at the earliest;
 * - the others read the line less often, the further back they are;
 * - a run that the line puts past its deadline fails at once, saying so, instead of timing out,
 *   and takes its API out of the line (`left`); an entry whose run stops waiting before its turn
 *   could come takes no turn, and does not count. The line as discovery listed it is checked
 *   before a delete's first write (`refuseLateTurn`), so a run that gives up then has deleted
 *   nothing.
 *
 * Entries whose run is gone without leaving (killed, say) are passed over: one ahead of an API
 * that was deleted, and the head when nothing ahead has gone for 2.5 turns. Deletes by anything
 * else in the account (the console, other tools) only make the head's tries wait longer.
 */
import * as restApi from '../aws/rest-api.js'
import type { AwsContext } from '../aws/context.js'
import { DELETE_LINE_LEFT, MANAGED_BY_VALUE, MAX_TIMEOUT_SECONDS, Tags } from '../base/constants.js'
import { ActionError, errorMessage, isAwsError } from '../base/errors.js'
import type { RestApiSummary } from '../model/model.js'

/** One DeleteRestApi per this long, per account and region. */
export const DELETE_PERIOD_MS = 30_000
/** How often the first in line tries while refused, having seen the one ahead go. */
const HEAD_RETRY_MS = 1_000
/** How often the first in line tries when it has not seen the delete that holds the slot. */
const HEAD_BLIND_MS = 4_000
/** How often the next in line reads the line. */
const NEXT_LOOK_MS = 3_000
/** The longest the others wait between looks at the line. */
const FAR_LOOK_MS = 30_000
/** Nothing ahead gone for this long: the head of the line is taken to have no run left. */
const STALE_HEAD_MS = 2.5 * DELETE_PERIOD_MS

interface Entry {
  id: string
  joined: number
  /** When its run stops waiting. */
  deadline: number
}

/** A line entry's tag: `<joined>/<deadline>`, epoch ms; anything else is no entry. */
export function lineTag(joined: number, deadline: number): string {
  return `${Math.round(joined)}/${Math.round(deadline)}`
}

function entryOf(api: RestApiSummary, now: number): Entry | undefined {
  // anyone who can tag an API could write the tag: only an API the action made is in the line
  if (api.tags[Tags.ManagedBy] !== MANAGED_BY_VALUE) return undefined
  const m = /^(\d{1,15})\/(\d{1,15})$/.exec(api.tags[Tags.DeleteQueued] ?? '')
  if (!m) return undefined
  const joined = Number(m[1])
  const deadline = Number(m[2])
  // its run stopped waiting (or says it waits longer than any run may)
  if (deadline < now || deadline - joined > MAX_TIMEOUT_SECONDS * 1000) return undefined
  return { id: api.id, joined, deadline }
}

/** The line as it stands, first to last, without those passed over. */
function lineOf(apis: RestApiSummary[], now: number, passedOver: Set<string>): Entry[] {
  return apis
    .flatMap(a => entryOf(a, now) ?? [])
    .filter(e => !passedOver.has(e.id))
    .sort((a, b) => a.joined - b.joined || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * The earliest a run behind `ahead` (first to last) can take the slot, looking at `now`, and how many
 * turns ahead of it count: the first goes now at the earliest, each after it 30 s later. An entry whose
 * run stops waiting before its turn could come takes none: it gives up (or is passed over) first.
 */
function earliestTurn(ahead: Entry[], now: number): { at: number; turns: number } {
  let at = now
  let turns = 0
  for (const e of ahead) {
    if (at > e.deadline) continue
    at += DELETE_PERIOD_MS
    turns++
  }
  return { at, turns }
}

function tooLate(ctx: AwsContext, restApiId: string, n: number, earliest: number): ActionError {
  return new ActionError(
    `${n} ${n === 1 ? 'delete' : 'deletes'} of REST APIs ${n === 1 ? 'is' : 'are'} ahead of ` +
      `${restApiId} in this account's line (DeleteRestApi: one call per ` +
      `${DELETE_PERIOD_MS / 1000} s per account and region): the earliest it can go is in ` +
      `${Math.ceil((earliest - ctx.now()) / 1000)} s, past this run's 'timeout'. ` +
      "Raise 'timeout', or delete fewer gateways at once"
  )
}

/**
 * Before a delete's first write: fails the run if the line as listed (`apis`, from discovery) puts
 * the REST APIs it deletes, behind everyone in it, past its deadline. A run that gives up this way
 * has deleted nothing (no usage plan, key, mapping or record goes before an API that stays).
 */
export function refuseLateTurn(ctx: AwsContext, apis: RestApiSummary[], restApiIds: string[]): void {
  if (restApiIds.length === 0) return
  const now = ctx.now()
  // its own APIs (a stopped run of this gateway's may have left them in the line) go last
  const ahead = lineOf(apis, now, new Set()).filter(e => !restApiIds.includes(e.id))
  if (ahead.length === 0) return
  const { at, turns } = earliestTurn(ahead, now)
  // with twins, one turn each: the last of them goes last
  const last = at + (restApiIds.length - 1) * DELETE_PERIOD_MS
  if (last > ctx.deadline)
    throw tooLate(ctx, restApiIds[restApiIds.length - 1], turns + restApiIds.length - 1, last)
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
  try {
    await restApi.tagRestApi(ctx, restApiId, { [Tags.DeleteQueued]: lineTag(ctx.now(), ctx.deadline) })
  } catch (error) {
    // deleted meanwhile by another run (delete-on-exit and a delete job, say)
    if (isAwsError(error, 'NotFoundException')) return false
    // a policy from before the line (no apigateway:PUT on tags): wait as before, blind
    if (isAwsError(error, 'AccessDeniedException')) {
      ctx.log.warning(
        `Could not join the account's line of deletes (${errorMessage(error)}): waiting for the ` +
          'DeleteRestApi slot without it. Update the delete policy from iam/delete-policy.json'
      )
      return restApi.deleteRestApi(ctx, restApiId)
    }
    throw error
  }
  ctx.log.info(
    `DeleteRestApi is busy in this account (one call per ${DELETE_PERIOD_MS / 1000} s for every ` +
      `workflow in it): REST API ${restApiId} joins the line of deletes`
  )
  try {
    return await waitInLine(ctx, restApiId)
  } catch (error) {
    // a run that gives up leaves the line, so that those behind it need not wait it out
    await restApi.tagRestApi(ctx, restApiId, { [Tags.DeleteQueued]: DELETE_LINE_LEFT }).catch(() => undefined)
    throw error
  }
}

async function waitInLine(ctx: AwsContext, restApiId: string): Promise<boolean> {
  /** When an API ahead was last seen in the line: the slot opens 30 s after its delete at the earliest. */
  let aheadSeenAt: number | undefined
  /** When an API ahead of this one last left the line (or this run joined). */
  let progressAt = ctx.now()
  const passedOver = new Set<string>()
  let lastAhead: string[] = []
  for (let round = 0; ; round++) {
    const lookedAt = ctx.now()
    const apis = await restApi.listRestApis(ctx)
    if (!apis.some(a => a.id === restApiId)) return false
    const present = new Set(apis.map(a => a.id))
    // one ahead of an API that was deleted (not one that left the line) has no run left
    const lastDeleted = Math.max(-1, ...lastAhead.map((id, i) => (present.has(id) ? -1 : i)))
    for (const id of lastAhead.slice(0, Math.max(0, lastDeleted))) passedOver.add(id)
    const line = lineOf(apis, lookedAt, passedOver)
    const at = line.findIndex(e => e.id === restApiId)
    // this run's own entry missing (its tag not readable yet): behind everyone, to be safe
    const entriesAhead = at < 0 ? line.filter(e => e.id !== restApiId) : line.slice(0, at)
    const ahead = entriesAhead.map(e => e.id)
    if (lastAhead.some(id => !ahead.includes(id))) progressAt = lookedAt
    lastAhead = ahead
    if (ahead.length > 0) {
      // nothing ahead has gone for far longer than a turn: the head's run is gone
      if (lookedAt - progressAt > STALE_HEAD_MS) {
        ctx.log.info(`REST API ${ahead[0]} has held the head of the line too long: passing it over`)
        passedOver.add(ahead[0])
        progressAt = lookedAt
        // nobody went: when the slot was last taken is not known
        aheadSeenAt = undefined
        continue
      }
      aheadSeenAt = lookedAt
      // at the earliest, the one ahead deletes now and each after it 30 s later
      const earliest = earliestTurn(entriesAhead, lookedAt)
      if (earliest.at > ctx.deadline) throw tooLate(ctx, restApiId, earliest.turns, earliest.at)
      if (round === 0 || round % 10 === 0)
        ctx.log.info(`${ahead.length} ahead of REST API ${restApiId} in the line of deletes`)
      await ctx.sleep(
        ahead.length === 1 ? NEXT_LOOK_MS : Math.min(FAR_LOOK_MS, ((ahead.length - 1) * DELETE_PERIOD_MS) / 2)
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
