/**
 * Stage canaries and stage variables as AWS keeps them, for the test proxy (proxy.ts). moto ignores every
 * UpdateStage operation on `/canarySettings` (GetStage shows none), takes no `copy` operation, and a
 * CreateDeployment with `canarySettings` replaces the stage's deployment and empties its variables. AWS:
 * - CreateDeployment with `stageName` and `canarySettings` makes a deployment that the stage's canary
 *   serves; the stage keeps its deployment and its variables;
 * - UpdateStage `replace` of `/canarySettings/percentTraffic`, `/canarySettings/deploymentId`,
 *   `/canarySettings/stageVariableOverrides/<name>` (and `remove` of one) changes the canary;
 * - promotion: `copy` from `/canarySettings/stageVariableOverrides` to `/variables` (the overrides set
 *   over the stage's variables) and from `/canarySettings/deploymentId` to `/deploymentId`;
 * - `remove` of `/canarySettings` turns the canary off;
 * - GetStage and GetStages show `canarySettings`;
 * - a VPC link that a stage reaches through its variables, or its canary through its overrides (where
 *   the integrations name the link `${stageVariables.<name>}`), is in use: not deleted.
 */
import type { IncomingMessage } from 'node:http'

export interface KeptCanary {
  deploymentId: string
  percentTraffic: number
  stageVariableOverrides: Record<string, string>
  useStageCache?: boolean
}

/** By `api/stage`. */
export type Canaries = Map<string, KeptCanary>

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

interface PatchOp {
  op: string
  path: string
  value?: string
  from?: string
}

const json = (status: number, value: unknown): Answer => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(value))
})

const refusal = (status: number, code: string, message: string): Answer => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
  body: Buffer.from(JSON.stringify({ message, __type: code }))
})

/** What moto answers to a GET, as JSON (undefined for a 404). */
export async function motoJson(target: string, req: IncomingMessage, path: string): Promise<unknown> {
  const res = await fetch(`${target}${path}`, {
    headers: { authorization: String(req.headers.authorization ?? '') }
  })
  if (res.status === 404) {
    await res.body?.cancel()
    return undefined
  }
  return res.json()
}

const OVERRIDES = '/canarySettings/stageVariableOverrides'

/**
 * A request about a stage's canary, answered or rewritten as AWS would have it: `answer` (answered here),
 * or `rest` (the request to send moto instead) with `after` (what to keep once moto took it).
 */
export async function canaryAsAws(
  target: string,
  req: IncomingMessage,
  method: string,
  path: string,
  body: Buffer,
  canaries: Canaries
): Promise<{ answer?: Answer; rest?: Buffer; after?: (a: Answer) => void } | undefined> {
  const bare = path.split('?')[0]
  const stage = /^\/restapis\/([^/]+)\/stages\/([^/]+)\/?$/.exec(bare)
  if (stage && method === 'DELETE') {
    return {
      after: a => void (a.status < 400 && canaries.delete(`${stage[1]}/${decodeURIComponent(stage[2])}`))
    }
  }
  const api = /^\/restapis\/([^/]+)\/?$/.exec(bare)
  if (api && method === 'DELETE') {
    return {
      after: a => {
        if (a.status >= 400) return
        for (const k of [...canaries.keys()]) if (k.startsWith(`${api[1]}/`)) canaries.delete(k)
      }
    }
  }
  if (stage && method === 'PATCH')
    return patchStage(target, req, stage[1], decodeURIComponent(stage[2]), body, canaries)
  const deployment = /^\/restapis\/([^/]+)\/deployments\/?$/.exec(bare)
  if (deployment && method === 'POST' && body.length) {
    const sent = JSON.parse(body.toString()) as {
      stageName?: string
      canarySettings?: {
        percentTraffic?: number
        stageVariableOverrides?: Record<string, string>
        useStageCache?: boolean
      }
    }
    const settings = sent.canarySettings
    if (!settings || !sent.stageName) return undefined
    const key = `${deployment[1]}/${sent.stageName}`
    const had = await motoJson(
      target,
      req,
      `/restapis/${deployment[1]}/stages/${encodeURIComponent(sent.stageName)}`
    )
    if (!had) return { answer: refusal(400, 'BadRequestException', 'Invalid stage identifier specified') }
    const rest = { ...sent }
    delete rest.stageName
    delete rest.canarySettings
    return {
      rest: Buffer.from(JSON.stringify(rest)),
      after: a => {
        if (a.status >= 400) return
        const made = JSON.parse(a.body.toString() || '{}') as { id?: string }
        canaries.set(key, {
          deploymentId: String(made.id),
          percentTraffic: settings.percentTraffic ?? 0,
          stageVariableOverrides: { ...settings.stageVariableOverrides },
          ...(settings.useStageCache !== undefined ? { useStageCache: settings.useStageCache } : {})
        })
      }
    }
  }
  return undefined
}

/** An UpdateStage: the canary's operations kept here, a promotion's copies sent to moto as replaces. */
async function patchStage(
  target: string,
  req: IncomingMessage,
  apiId: string,
  stageName: string,
  body: Buffer,
  canaries: Canaries
): Promise<{ answer?: Answer; rest?: Buffer } | undefined> {
  const sent = JSON.parse(body.toString() || '{}') as { patchOperations?: PatchOp[] }
  const ops = sent.patchOperations ?? []
  const isCanary = (o: PatchOp): boolean => o.path.startsWith('/canarySettings') || o.op === 'copy'
  if (!ops.some(isCanary)) return undefined
  const stagePath = `/restapis/${apiId}/stages/${encodeURIComponent(stageName)}`
  if (!(await motoJson(target, req, stagePath)))
    return { answer: refusal(404, 'NotFoundException', 'Invalid Stage identifier specified') }
  const key = `${apiId}/${stageName}`
  const before = canaries.get(key)
  const c: KeptCanary | undefined = before && {
    ...before,
    stageVariableOverrides: { ...before.stageVariableOverrides }
  }
  const rest: PatchOp[] = []
  for (const o of ops) {
    if (!isCanary(o)) {
      rest.push(o)
      continue
    }
    const refused = applyCanaryOp(o, c, rest)
    if (refused) return { answer: refusal(400, 'BadRequestException', refused) }
  }
  if (c && !ops.some(o => o.op === 'remove' && o.path === '/canarySettings')) canaries.set(key, c)
  else canaries.delete(key)
  if (rest.length > 0) return { rest: Buffer.from(JSON.stringify({ ...sent, patchOperations: rest })) }
  return {
    answer: json(
      200,
      withCanary((await motoJson(target, req, stagePath)) as Record<string, unknown>, canaries.get(key))
    )
  }
}

/** One canary operation on `c` (a copy adds what moto must do to `rest`); a refusal's message, as AWS's. */
function applyCanaryOp(o: PatchOp, c: KeptCanary | undefined, rest: PatchOp[]): string | undefined {
  if (o.op === 'remove' && o.path === '/canarySettings') return c ? undefined : 'Stage has no canary settings'
  if (!c) return `Cannot ${o.op} ${o.path}: the stage has no canary settings`
  if (o.op === 'copy' && o.from === OVERRIDES && o.path === '/variables') {
    for (const [k, v] of Object.entries(c.stageVariableOverrides))
      rest.push({ op: 'replace', path: `/variables/${k}`, value: v })
    return undefined
  }
  if (o.op === 'copy' && o.from === '/canarySettings/deploymentId' && o.path === '/deploymentId') {
    rest.push({ op: 'replace', path: '/deploymentId', value: c.deploymentId })
    return undefined
  }
  if (o.op === 'replace' && o.path === '/canarySettings/percentTraffic') {
    const n = Number(o.value)
    if (!(n >= 0 && n <= 100)) return `Invalid percentTraffic ${o.value}: must be between 0.0 and 100.0`
    c.percentTraffic = n
    return undefined
  }
  if (o.op === 'replace' && o.path === '/canarySettings/deploymentId' && o.value) {
    c.deploymentId = o.value
    return undefined
  }
  if (o.path.startsWith(`${OVERRIDES}/`)) {
    const name = o.path.slice(OVERRIDES.length + 1)
    if (o.op === 'remove') delete c.stageVariableOverrides[name]
    else if (o.value !== undefined) c.stageVariableOverrides[name] = o.value
    return undefined
  }
  if (o.op === 'replace' && o.path === '/canarySettings/useStageCache') {
    c.useStageCache = o.value === 'true'
    return undefined
  }
  return `Invalid patch path ${o.path}`
}

const withCanary = (stage: Record<string, unknown>, c: KeptCanary | undefined): Record<string, unknown> =>
  c ? { ...stage, canarySettings: c } : stage

/** GetStage and GetStages answers, with the canaries moto does not keep. */
export function addCanaries(path: string, text: string, canaries: Canaries): string {
  if (canaries.size === 0) return text
  const bare = path.split('?')[0]
  const one = /^\/restapis\/([^/]+)\/stages\/([^/]+)\/?$/.exec(bare)
  const all = /^\/restapis\/([^/]+)\/stages\/?$/.exec(bare)
  if (!one && !all) return text
  const parsed = JSON.parse(text) as Record<string, unknown> & { item?: Record<string, unknown>[] }
  if (one) return JSON.stringify(withCanary(parsed, canaries.get(`${one[1]}/${decodeURIComponent(one[2])}`)))
  const items = (parsed.item ?? []).map(s => withCanary(s, canaries.get(`${all![1]}/${String(s.stageName)}`)))
  return JSON.stringify({ ...parsed, item: items })
}

/**
 * The stages that reach `linkId` through their variables or their canary's overrides, where an API's
 * integrations name their link by a stage variable (`connectionIds`: by `api/resource/method`).
 */
export async function stagesReaching(
  target: string,
  req: IncomingMessage,
  linkId: string,
  connectionIds: Map<string, { connectionId: string }>,
  canaries: Canaries
): Promise<string[]> {
  const byApi = new Map<string, Set<string>>()
  for (const [key, v] of connectionIds) {
    const name = /^\$\{stageVariables\.(\w+)\}$/.exec(v.connectionId)?.[1]
    if (name === undefined) continue
    const apiId = key.split('/')[0]
    byApi.set(apiId, new Set([...(byApi.get(apiId) ?? []), name]))
  }
  const users: string[] = []
  for (const [apiId, names] of byApi) {
    const listed = (await motoJson(target, req, `/restapis/${apiId}/stages`)) as
      { item?: { stageName?: string; variables?: Record<string, string> }[] } | undefined
    for (const s of listed?.item ?? []) {
      const overrides = canaries.get(`${apiId}/${String(s.stageName)}`)?.stageVariableOverrides ?? {}
      for (const name of names) {
        if (s.variables?.[name] === linkId) users.push(`stage ${apiId}/${String(s.stageName)}`)
        if (overrides[name] === linkId) users.push(`canary of stage ${apiId}/${String(s.stageName)}`)
      }
    }
  }
  return [...new Set(users)]
}
