/**
 * A loopback proxy in front of moto server. It records every AWS request (service, operation,
 * read or write), can inject faults (throttling, 5xx, latency, dropped connections, lost
 * responses), and makes moto answer as AWS does where the action's correctness depends on it:
 * - moto does not keep an integration's `connectionId` nor its `integrationTarget` (v2 VPC
 *   links): the proxy remembers them from PutIntegration and adds them to later reads;
 * - moto accepts a second CreateResource of the same path and a PutMethod over an existing
 *   method (dropping its integration); AWS answers both with 409 ConflictException, and so
 *   does the proxy;
 * - moto tags a REST API only when it is created (TagResource on its ARN answers an HTML 404):
 *   the proxy keeps TagResource/UntagResource tags of REST APIs and adds them to later reads;
 * - moto answers 500 to a DeleteRestApi of an API already gone; AWS answers 404, and so does the proxy;
 * - moto answers an HTML 500 to a DeleteUsagePlan of a plan that is gone, and to a DeleteUsagePlanKey
 *   of a key not on the plan (or on a gone plan); AWS answers 404 NotFoundException, and so does the proxy;
 * - moto answers 500 to GetBasePathMappings of a domain that never had a mapping; AWS lists none, and so
 *   does the proxy;
 * - moto drops a REST API's binaryMediaTypes at creation, garbles AWS's patches of them and ignores
 *   patches of a PRIVATE API's VPC endpoints: the proxy keeps both for APIs made through it, a `replace`
 *   of `/endpointConfiguration/vpcEndpointIds/<old>` swapping <old> for the value, as AWS does;
 * - moto takes VPC endpoints on an API that is not PRIVATE (made so, patched in, or left on one turned
 *   REGIONAL); AWS refuses (400 BadRequestException "VPCEndpoints can only be specified with PRIVATE
 *   apis."), and so does the proxy;
 * - moto deletes a REST API a custom domain still maps, and maps a domain's root beside other base
 *   paths; AWS refuses both (400 BadRequestException), and so does the proxy, for mappings made through it;
 * - moto deletes a VPC link that integrations still go through; AWS refuses (400
 *   BadRequestException for a REST link, 409 ConflictException for a v2 link), and so does the
 *   proxy;
 * - moto takes a Route 53 DELETE of a record that is gone (or whose values differ) as done; AWS
 *   refuses the whole batch (400 InvalidChangeBatch "… but it was not found"), and so does the proxy;
 * - moto drops an integration's `responseTransferMode`; AWS keeps it (BUFFERED where none was set), and
 *   so does the proxy;
 * - moto reads a patch of a REST API's `disableExecuteApiEndpoint` to "false" as true; AWS turns the
 *   endpoint on again, and so does the proxy, for APIs made through it;
 * - moto keeps no stage canary (UpdateStage's `/canarySettings` ignored, no `copy`, a CreateDeployment
 *   with `canarySettings` replacing the stage's deployment and variables): the proxy keeps canaries as
 *   AWS does, and counts a VPC link a stage or its canary names in a stage variable as in use
 *   (proxy-canary.ts);
 * - moto deletes an authorizer a method still uses, and takes a second Lambda permission statement of one id;
 *   AWS refuses both (409), and so does the proxy (proxy-authorizer.ts).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SimulatedAccount } from './account.js'
import { addCanaries, canaryAsAws, stagesReaching, type Canaries } from './proxy-canary.js'
import { authorizerAwsRefuses, lambdaOperation, permissionAwsRefuses } from './proxy-authorizer.js'

export interface Recorded {
  service: string
  method: string
  path: string
  /** e.g. 'PUT /restapis/{id}/resources/{id}/methods/{m}/integration' or 'DescribeLoadBalancers' */
  operation: string
  write: boolean
  status?: number
  /** Set when the proxy answered instead of moto. */
  injected?: string
  /** The fault applied to this request (`kind code`), where one was: what a test injected, as it happened. */
  fault?: string
  /** The client's user agent: tells apart runs that share the proxy. */
  agent: string
  /** The request body of an API Gateway write or a WAF call (JSON), to check what the action sent. */
  body?: string
  /** performance.now() when the request arrived and when its answer was sent. */
  start: number
  end?: number
}

export type Fault =
  /** AWS refuses the call: nothing happens, the client gets the error. */
  | { kind: 'status'; status: number; code: string; message?: string }
  /** The connection drops before the call reaches AWS. */
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  /** The call takes effect, then the client gets an error instead of the answer (lost response). */
  | { kind: 'apply-then-status'; status: number; code: string; message?: string }
  /** The call takes effect, then the connection drops before the answer. */
  | { kind: 'apply-then-reset' }
  /** The call waits (as if in flight) until `until` settles, then goes on: to order racing runs. */
  | { kind: 'hold'; until: Promise<unknown> }

export interface ProxyOptions {
  /** Added to every request, like a real region's round trip. */
  latencyMs?: number
  /**
   * Answer 409 where AWS does and moto does not (default true; costs a read of moto per PutMethod and
   * CreateResource).
   */
  emulateConflicts?: boolean
  /** Decides per request whether to fail it instead of forwarding; `writeIndex` counts writes from 1. */
  fault?: (req: Recorded, counters: { index: number; writeIndex: number }) => Fault | undefined
  /**
   * AWS dates REST APIs to the whole second. With this, API dates and every answer's Date
   * header are cut to multiples of this many seconds: runs a second apart look as if in one second.
   */
  clockGranularitySeconds?: number
  /**
   * An account's API Gateway limits, shared by every client of this proxy: a request over them is
   * answered 429 TooManyRequestsException (see account.ts).
   */
  account?: SimulatedAccount
  /**
   * AWS's clock (epoch ms), where it is not the real one (a virtual clock): every answer's Date
   * header, and the createdDate of the REST APIs made through this proxy.
   */
  clock?: () => number
  /** The loopback port to listen on (`npm run local-aws --port`); any free one when not given. */
  port?: number
}

export interface MotoProxy {
  endpoint: string
  requests: Recorded[]
  options: ProxyOptions
  writes(): Recorded[]
  /** The proxy's own failures since the last call (a test bug, never an AWS answer); empties the list. */
  takeErrors(): Error[]
  /** Resolves once a request the predicate picks has been answered (or one already was). */
  answered(pick: (r: Recorded) => boolean): Promise<Recorded>
  clear(): void
  /** Forgets what it kept of AWS's state: for moto reset to an empty account. */
  forget(): void
  stop(): Promise<void>
}

/** The HTTP status moto answers a GET of `path` with, asked as the client (its authorization). */
async function motoStatus(target: string, req: IncomingMessage, path: string): Promise<number> {
  const res = await fetch(`${target}${path}`, {
    headers: { authorization: String(req.headers.authorization ?? '') }
  })
  await res.body?.cancel()
  return res.status
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function serviceOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '')
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? 'unknown'
}

function templatePath(path: string): string {
  return path
    .split('?')[0]
    .replace(
      /\/(restapis|resources|deployments|stages|vpclinks|responses|domainnames|basepathmappings|hostedzone)\/[^/]+/g,
      '/$1/{id}'
    )
    .replace(/\/authorizers\/[^/]+/g, '/authorizers/{id}')
    .replace(/\/methods\/[^/]+/, '/methods/{m}')
}

/** What AWS keeps that moto does not: integrations' VPC links, tags set on a REST API after its creation. */
interface AwsState {
  /** By `api/resource/method`: the link an integration goes through (and a v2 link's target). */
  connectionIds: Map<string, { connectionId: string; integrationTarget?: string }>
  /** By `api/resource/method`: the integration's responseTransferMode, which moto drops. */
  transferModes: Map<string, string>
  /** By API id: tags set after creation; undefined = removed. */
  apiTags: Map<string, Record<string, string | undefined>>
  /** By API id: when it was made by `options.clock` (epoch seconds), where there is one. */
  createdAt: Map<string, number>
  /** By `domain/basePath` ('(none)' for the root): the API each mapping made through the proxy serves. */
  mappings: Map<string, string>
  /** By API id: binary media types and VPC endpoints, for APIs made through the proxy. */
  endpoints: Map<
    string,
    { binaryMediaTypes: string[]; vpcEndpointIds: string[]; disableExecuteApiEndpoint: boolean }
  >
  /** By `api/deployment`: the VPC links its integrations went through when it was made. */
  deployed: Map<string, Set<string>>
  /** By `api/stage`: the deployment it serves. */
  stages: Map<string, string>
  /** Custom domains a base path mapping was ever made on through the proxy. */
  everMapped: Set<string>
  /** By domain name: tags set after its creation; undefined = removed. */
  domainTags: Map<string, Record<string, string | undefined>>
  /** By `api/stage`: the stage's canary (proxy-canary.ts). */
  canaries: Canaries
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

const errorAnswer = (f: { status: number; code: string; message?: string }): Answer => ({
  status: f.status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': f.code, 'x-amzn-requestid': 'injected' },
  body: Buffer.from(JSON.stringify({ message: f.message ?? `injected ${f.code}`, __type: f.code }))
})

/**
 * Each request goes through the same stages: recorded, faulted (as the test asks), answered as
 * AWS would where moto answers otherwise, forwarded to moto, remembered (what AWS keeps), and
 * its answer completed. A failure of the proxy itself is no AWS error: it is answered with a
 * 400 the action does not retry, and kept in `errors`, which fails the test (see harness.ts).
 */
export async function startProxy(target: string, options: ProxyOptions = {}): Promise<MotoProxy> {
  const requests: Recorded[] = []
  const errors: Error[] = []
  const state: AwsState = {
    connectionIds: new Map(),
    transferModes: new Map(),
    apiTags: new Map(),
    createdAt: new Map(),
    mappings: new Map(),
    endpoints: new Map(),
    deployed: new Map(),
    stages: new Map(),
    everMapped: new Set(),
    domainTags: new Map(),
    canaries: new Map()
  }
  const waiters: { pick: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = []
  let writeIndex = 0

  const record = (req: IncomingMessage, body: Buffer, res: ServerResponse): Recorded => {
    const service = serviceOf(req)
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    let operation: string
    let write: boolean
    if (service === 'apigateway' || service === 'route53') {
      operation = `${method} ${templatePath(path)}`
      write = method !== 'GET' && method !== 'HEAD'
    } else if (service === 'lambda') {
      operation = lambdaOperation(method, path)
      write = method !== 'GET' && method !== 'HEAD'
    } else {
      const amzTarget = String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop()
      operation = new URLSearchParams(body.toString()).get('Action') ?? (amzTarget || method)
      write = !/^(Describe|Get|List)/.test(operation)
    }
    const agent =
      `${String(req.headers['x-amz-user-agent'] ?? '')} ` + `${String(req.headers['user-agent'] ?? '')}`
    const rec: Recorded = { service, method, path, operation, write, agent, start: performance.now() }
    // what an API Gateway write sent, and whose web ACL a WAF call is about (the IAM replay reads both)
    if (
      ((service === 'apigateway' && write) || service === 'wafv2' || service === 'cognito-idp') &&
      body.length
    )
      rec.body = body.toString()
    res.on('finish', () => {
      rec.end = performance.now()
      for (const w of waiters.filter(w => w.pick(rec))) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(rec)
      }
    })
    res.on('close', () => (rec.end ??= performance.now()))
    requests.push(rec)
    if (write) writeIndex++
    return rec
  }

  const send = (res: ServerResponse, rec: Recorded, a: Answer): void => {
    rec.status = a.status
    const headers: Answer['headers'] = { ...a.headers, 'content-length': String(a.body.length) }
    delete headers['transfer-encoding']
    res.writeHead(a.status, headers)
    res.end(a.body)
  }

  const chains = new Map<string, Promise<void>>()
  const lockFor = async (rec: Recorded): Promise<() => void> => {
    const key = conflictKey(rec)
    if (!key) return () => undefined
    const before = chains.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>(resolve => (release = resolve))
    const chain = before.then(() => mine)
    chains.set(key, chain)
    await before
    return () => {
      release()
      if (chains.get(key) === chain) chains.delete(key)
    }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req)
    const rec = record(req, body, res)
    const fault = options.fault?.(rec, { index: requests.length, writeIndex })
    if (options.latencyMs) await new Promise(r => setTimeout(r, options.latencyMs))
    if (fault?.kind === 'delay') await new Promise(r => setTimeout(r, fault.ms))
    if (fault?.kind === 'hold') await fault.until
    const refusedBy = options.account?.admit(rec.service, rec.operation)
    if (refusedBy) {
      rec.injected = `throttled (${refusedBy})`
      return send(
        res,
        rec,
        errorAnswer({ status: 429, code: 'TooManyRequestsException', message: 'Too Many Requests' })
      )
    }
    if (fault?.kind === 'reset') {
      rec.injected = 'reset'
      rec.fault = 'reset'
      req.socket.destroy()
      return
    }
    if (fault?.kind === 'status') {
      rec.injected = fault.code
      rec.fault = `status ${fault.code}`
      return send(res, rec, errorAnswer(fault))
    }
    /** An answer the proxy made itself, the fault after it applied as it would be to moto's. */
    const sendEmulated = (answer: Answer): void => {
      rec.injected = 'emulated'
      if (fault?.kind === 'apply-then-status' || fault?.kind === 'apply-then-reset') {
        rec.status = answer.status
        lose(fault)
        return
      }
      send(res, rec, answer)
    }
    /** The call took effect; its answer is lost on the way back. */
    const lose = (f: Extract<Fault, { kind: 'apply-then-status' | 'apply-then-reset' }>): void => {
      if (f.kind === 'apply-then-status') {
        rec.injected = f.code
        rec.fault = `apply-then-status ${f.code}`
        send(res, rec, errorAnswer(f))
      } else {
        rec.injected = 'apply-then-reset'
        rec.fault = 'apply-then-reset'
        req.socket.destroy()
      }
    }
    // a 409 decided by reading moto holds only if no racing write of the same comes between the read
    // and the write: those of one API's resources, or of one method, go one at a time
    const release = await lockFor(rec)
    res.on('close', release)
    const refusedHere =
      rec.service === 'apigateway'
        ? await authorizerAwsRefuses(target, req, rec.method, rec.path)
        : rec.service === 'lambda'
          ? await permissionAwsRefuses(target, req, rec.method, rec.path, body)
          : undefined
    if (refusedHere) return sendEmulated(errorAnswer(refusedHere))
    const emulated =
      rec.service === 'apigateway'
        ? await answerAsAws(target, req, rec, body, state, options)
        : rec.service === 'route53'
          ? await recordNotFound(target, req, rec, body)
          : undefined
    if (emulated) return sendEmulated(emulated)
    // the parts of an API update moto gets wrong are kept here; the rest goes on to moto
    const kept = rec.service === 'apigateway' ? keepApiEndpoints(state, rec, body) : undefined
    const canary =
      rec.service === 'apigateway'
        ? await canaryAsAws(target, req, rec.method, rec.path, body, state.canaries)
        : undefined
    if (canary?.answer) return sendEmulated(canary.answer)
    if (kept?.done) {
      return sendEmulated({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{}')
      })
    }
    const sent = canary?.rest ?? kept?.rest ?? body
    if (kept || canary?.rest) req.headers['content-length'] = String(sent.length)
    const answer = await forward(target, req, sent)
    canary?.after?.(answer)
    if (answer.status < 400 && rec.operation === 'POST /restapis') {
      const made = JSON.parse(answer.body.toString()) as { id?: string }
      const asked = JSON.parse(body.toString() || '{}') as {
        binaryMediaTypes?: string[]
        endpointConfiguration?: { vpcEndpointIds?: string[] }
        disableExecuteApiEndpoint?: boolean
      }
      state.endpoints.set(String(made.id), {
        binaryMediaTypes: asked.binaryMediaTypes ?? [],
        vpcEndpointIds: asked.endpointConfiguration?.vpcEndpointIds ?? [],
        disableExecuteApiEndpoint: asked.disableExecuteApiEndpoint === true
      })
    }
    if (answer.status < 400 && rec.service === 'apigateway') remember(state, rec, sent, answer)
    if (options.clock && answer.status < 400 && rec.operation === 'POST /restapis')
      state.createdAt.set(
        String((JSON.parse(answer.body.toString()) as { id?: string }).id),
        Math.floor(options.clock() / 1000)
      )
    if (fault?.kind === 'apply-then-status' || fault?.kind === 'apply-then-reset') {
      rec.status = answer.status
      return lose(fault)
    }
    send(
      res,
      rec,
      rec.service === 'apigateway'
        ? complete(rec, answer, state, options)
        : rec.service === 'elasticloadbalancing'
          ? classicDnsNames(req, body, answer)
          : answer
    )
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      errors.push(error instanceof Error ? error : new Error(String(error)))
      if (!res.headersSent) {
        res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'TestProxyError' })
        res.end(JSON.stringify({ message: `the test proxy failed: ${String(error)}` }))
      } else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    // a port taken is an error to report, not a crash
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    options,
    writes: () => requests.filter(r => r.write),
    answered: pick => {
      const done = requests.find(r => r.end !== undefined && pick(r))
      return done ? Promise.resolve(done) : new Promise(resolve => waiters.push({ pick, resolve }))
    },
    takeErrors: () => errors.splice(0),
    clear: () => {
      requests.length = 0
      writeIndex = 0
    },
    forget: () => {
      for (const kept of Object.values(state) as { clear(): void }[]) kept.clear()
    },
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/**
 * Forwards a request to moto as it came. A connection moto refuses is a broken test, not AWS at work: it
 * throws.
 */
function forward(target: string, req: IncomingMessage, body: Buffer): Promise<Answer> {
  const upstream = new URL(target)
  return new Promise((resolve, reject) => {
    const up = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host }
      },
      upRes => {
        readBody(upRes).then(
          payload => resolve({ status: upRes.statusCode ?? 500, headers: upRes.headers, body: payload }),
          reject
        )
      }
    )
    up.on('error', reject)
    up.end(body)
  })
}

/** Where moto answers otherwise than AWS and the action's correctness depends on it: AWS's answer. */
async function answerAsAws(
  target: string,
  req: IncomingMessage,
  rec: Recorded,
  body: Buffer,
  state: AwsState,
  options: ProxyOptions
): Promise<Answer | undefined> {
  const { method, path } = rec
  const refused = tagsAwsRefuses(method, path, body)
  if (refused) return errorAnswer({ status: 400, code: 'BadRequestException', message: refused })
  const badPatch = binaryPatchAwsRefuses(method, path, body)
  if (badPatch) return errorAnswer({ status: 400, code: 'BadRequestException', message: badPatch })
  const untaggable = await taggedApiGone(target, req, method, path)
  if (untaggable) return errorAnswer({ status: 404, code: 'NotFoundException', message: untaggable })
  const tagged = emulateTags(state, method, path, body)
  if (tagged)
    return { status: tagged, headers: { 'content-type': 'application/json' }, body: Buffer.alloc(0) }
  const noLink = await linkAwsRefuses(target, req, method, path, body, state)
  if (noLink) return errorAnswer({ status: 400, code: 'BadRequestException', message: noLink })
  const inUse = method === 'DELETE' ? await linkInUse(target, req, state, path) : undefined
  if (inUse) return errorAnswer(inUse)
  const mapped = mappingRule(state.mappings, method, path, body)
  if (mapped) return errorAnswer(mapped)
  const gone = await awsNotFound(target, req, path, method)
  if (gone) return errorAnswer({ status: 404, code: 'NotFoundException', message: gone })
  const endpoints = await vpcEndpointsAwsRefuses(target, req, rec, body, state)
  if (endpoints) return errorAnswer({ status: 400, code: 'BadRequestException', message: endpoints })
  const conflict =
    options.emulateConflicts !== false ? await awsConflict(target, req, path, method, body) : undefined
  if (conflict) return errorAnswer({ status: 409, code: 'ConflictException', message: conflict })
  return undefined
}

/**
 * AWS refuses to delete a REST API that a custom domain still maps, and a root mapping beside any
 * other on one domain; moto allows both. Only mappings made through the proxy are known.
 */
function mappingRule(
  mappings: Map<string, string>,
  method: string,
  path: string,
  body: Buffer
): { status: number; code: string; message: string } | undefined {
  const api = /^\/restapis\/([^/?]+)\/?(?:\?|$)/.exec(path)?.[1]
  if (method === 'DELETE' && api) {
    const on = [...mappings].filter(([, id]) => id === api).map(([key]) => key.split('/')[0])
    if (on.length > 0) {
      return {
        status: 400,
        code: 'BadRequestException',
        message:
          `Deleting RestApi ${api} failed. Please remove all base path mappings related to the RestApi in ` +
          `your domains: ${[...new Set(on)].join(', ')}`
      }
    }
  }
  const domain = /^\/domainnames\/([^/?]+)\/basepathmappings\/?(?:\?|$)/.exec(path)?.[1]
  if (method === 'POST' && domain) {
    const name = decodeURIComponent(domain)
    const sent = JSON.parse(body.toString() || '{}') as { basePath?: string }
    const others = [...mappings.keys()].filter(k => k.startsWith(`${name}/`))
    const root = !sent.basePath || sent.basePath === '(none)'
    if (others.length > 0 && (root || others.includes(`${name}/(none)`))) {
      // AWS: 409, as for any mapping in the way
      return {
        status: 409,
        code: 'ConflictException',
        message: 'Only one base path mapping is allowed if the base path is empty.'
      }
    }
  }
  return undefined
}

/** Each deployment's VPC links as they were when it was made, and which deployment each stage serves. */
function rememberDeployments(state: AwsState, rec: Recorded, body: Buffer, answer: Answer): void {
  const path = rec.path.split('?')[0]
  const deployment = /^\/restapis\/([^/]+)\/deployments\/?$/.exec(path)
  if (rec.method === 'POST' && deployment) {
    const made = JSON.parse(answer.body.toString() || '{}') as { id?: string }
    const sent = JSON.parse(body.toString() || '{}') as { stageName?: string }
    const links = [...state.connectionIds]
      .filter(([k]) => k.startsWith(`${deployment[1]}/`))
      .map(([, v]) => v.connectionId)
    state.deployed.set(`${deployment[1]}/${made.id}`, new Set(links))
    if (sent.stageName) state.stages.set(`${deployment[1]}/${sent.stageName}`, String(made.id))
  }
  const stages = /^\/restapis\/([^/]+)\/stages\/?$/.exec(path)
  if (rec.method === 'POST' && stages) {
    const sent = JSON.parse(body.toString() || '{}') as { stageName?: string; deploymentId?: string }
    if (sent.stageName && sent.deploymentId)
      state.stages.set(`${stages[1]}/${sent.stageName}`, sent.deploymentId)
  }
  const stage = /^\/restapis\/([^/]+)\/stages\/([^/]+)\/?$/.exec(path)
  if (stage && rec.method === 'PATCH') {
    const sent = JSON.parse(body.toString() || '{}') as {
      patchOperations?: { path: string; value?: string }[]
    }
    const to = sent.patchOperations?.find(o => o.path === '/deploymentId')?.value
    if (to) state.stages.set(`${stage[1]}/${decodeURIComponent(stage[2])}`, to)
  }
  if (stage && rec.method === 'DELETE') state.stages.delete(`${stage[1]}/${decodeURIComponent(stage[2])}`)
}

/** What AWS keeps from a write that succeeded, and moto does not. */
function remember(state: AwsState, rec: Recorded, body: Buffer, answer: Answer): void {
  const { method, path } = rec
  const mapping = /^\/domainnames\/([^/?]+)(?:\/basepathmappings(?:\/([^/?]+))?)?\/?(?:\?|$)/.exec(path)
  if (mapping) {
    const name = decodeURIComponent(mapping[1])
    if (method === 'POST' && mapping[0].includes('basepathmappings')) {
      const sent = JSON.parse(body.toString() || '{}') as { basePath?: string; restApiId?: string }
      state.mappings.set(`${name}/${sent.basePath || '(none)'}`, sent.restApiId ?? '')
      state.everMapped.add(name)
    } else if (method === 'DELETE' && mapping[2]) {
      state.mappings.delete(`${name}/${decodeURIComponent(mapping[2])}`)
    } else if (method === 'DELETE' && !mapping[0].includes('basepathmappings')) {
      state.domainTags.delete(name)
      for (const k of [...state.mappings.keys()]) if (k.startsWith(`${name}/`)) state.mappings.delete(k)
    }
  }
  const m = /^\/restapis\/([^/]+)\/resources\/([^/]+)\/methods\/([^/?]+)(\/integration)?\/?(?:\?|$)/.exec(
    path
  )
  if (m) {
    const key = `${m[1]}/${m[2]}/${m[3]}`
    const sent = (body.length ? JSON.parse(body.toString()) : {}) as {
      connectionType?: string
      connectionId?: string
      integrationTarget?: string
      responseTransferMode?: string
    }
    if (method === 'PUT' && m[4] && sent.responseTransferMode)
      state.transferModes.set(key, sent.responseTransferMode)
    else if (method === 'DELETE' || method === 'PUT') state.transferModes.delete(key)
    if (method === 'PUT' && m[4] && sent.connectionType === 'VPC_LINK' && sent.connectionId) {
      state.connectionIds.set(key, {
        connectionId: sent.connectionId,
        integrationTarget: sent.integrationTarget
      })
    } else if (method === 'DELETE' || method === 'PUT') state.connectionIds.delete(key)
  }
  rememberDeployments(state, rec, body, answer)
  const api = /^\/restapis\/([^/?]+)\/?(?:\?|$)/.exec(path)?.[1]
  if (api && method === 'DELETE') {
    for (const k of [...state.deployed.keys()]) if (k.startsWith(`${api}/`)) state.deployed.delete(k)
    for (const k of [...state.stages.keys()]) if (k.startsWith(`${api}/`)) state.stages.delete(k)
    for (const k of [...state.connectionIds.keys()])
      if (k.startsWith(`${api}/`)) state.connectionIds.delete(k)
    for (const k of [...state.transferModes.keys()])
      if (k.startsWith(`${api}/`)) state.transferModes.delete(k)
    state.apiTags.delete(api)
    state.endpoints.delete(api)
  }
}

/** A read's answer with what AWS would show and moto does not; dates coarsened when asked. */
function complete(rec: Recorded, answer: Answer, state: AwsState, options: ProxyOptions): Answer {
  const domain = /^\/domainnames\/([^/]+)\/basepathmappings/.exec(rec.path)?.[1]
  if (
    rec.operation === 'GET /domainnames/{id}/basepathmappings' &&
    answer.status === 500 &&
    domain &&
    !state.everMapped.has(decodeURIComponent(domain))
  ) {
    // moto fails (KeyError) on a domain that never had a mapping; AWS lists none (an unknown domain is
    // a 404 in both). Only that: any other 500 is passed on, as AWS's would be
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') }
  }
  let text = answer.body.toString()
  const headers = { ...answer.headers }
  if (rec.method === 'GET' && rec.path.startsWith('/restapis/')) {
    text = addConnectionIds(text, rec.path, state.connectionIds, state.transferModes)
  }
  if (rec.method === 'GET' && answer.status < 400) text = addCanaries(rec.path, text, state.canaries)
  if (
    rec.method === 'GET' &&
    state.apiTags.size > 0 &&
    /^\/restapis\/?(?:[^/?]+\/?)?(?:\?|$)/.test(rec.path)
  ) {
    text = addTags(text, state.apiTags, 'id')
  }
  if (
    rec.method === 'GET' &&
    state.endpoints.size > 0 &&
    /^\/restapis\/?(?:[^/?]+\/?)?(?:\?|$)/.test(rec.path)
  ) {
    text = addApiEndpoints(text, state.endpoints)
  }
  if (
    rec.method === 'GET' &&
    state.domainTags.size > 0 &&
    /^\/domainnames\/?(?:[^/?]+\/?)?(?:\?|$)/.test(rec.path)
  ) {
    text = addTags(text, state.domainTags, 'domainName')
  }
  if (options.clock) {
    text = clockDates(text, state.createdAt)
    headers.date = new Date(options.clock()).toUTCString()
  }
  const g = options.clockGranularitySeconds
  if (g) {
    text = coarseDates(text, g)
    const now = options.clock?.() ?? Date.now()
    headers.date = new Date(Math.floor(now / 1000 / g) * g * 1000).toUTCString()
  }
  return { ...answer, headers, body: Buffer.from(text) }
}

type Json = Record<string, unknown>

/**
 * TagResource / UntagResource on a REST API's or a custom domain's ARN: kept here (moto cannot), and shown
 * on their reads. Returns the status answered, if it answered.
 */
function emulateTags(state: AwsState, method: string, path: string, body: Buffer): number | undefined {
  const m = /^\/tags\/([^?]+)/.exec(path)
  const arn =
    m && /^arn:[^:]+:apigateway:[^:]*::\/(restapis|domainnames)\/([^/]+)$/.exec(decodeURIComponent(m[1]))
  if (!arn) return undefined
  const tagsOf = arn[1] === 'restapis' ? state.apiTags : state.domainTags
  const kept = tagsOf.get(arn[2]) ?? {}
  if (method === 'PUT') {
    Object.assign(kept, (JSON.parse(body.toString() || '{}') as { tags?: Record<string, string> }).tags ?? {})
  } else if (method === 'DELETE') {
    for (const key of new URL(path, 'http://x').searchParams.getAll('tagKeys')) kept[key] = undefined
  } else return undefined
  tagsOf.set(arn[2], kept)
  return 204
}

/**
 * AWS's rules for tags (API Gateway's TagResource, and the tags of a create): a key of 1 to 128 and a
 * value of at most 256 characters, letters, digits, spaces and `_ . : / = + - @` only, and no key in
 * AWS's own `aws:` namespace. moto checks none of them.
 */
const TAG_TEXT_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u
function tagsAwsRefuses(method: string, path: string, body: Buffer): string | undefined {
  const keys =
    method === 'DELETE' && path.startsWith('/tags/')
      ? new URL(path, 'http://x').searchParams.getAll('tagKeys')
      : []
  let tags: Record<string, unknown> = {}
  if ((method === 'PUT' || method === 'POST') && body.length) {
    try {
      tags = (JSON.parse(body.toString()) as { tags?: Record<string, unknown> }).tags ?? {}
    } catch {
      return undefined
    }
  }
  for (const key of [...keys, ...Object.keys(tags)]) {
    const length = [...key].length
    if (length < 1 || length > 128 || !TAG_TEXT_RE.test(key) || key.toLowerCase().startsWith('aws:')) {
      return `Invalid tag key: ${JSON.stringify(key)}`
    }
  }
  for (const value of Object.values(tags)) {
    if (typeof value !== 'string' || [...value].length > 256 || !TAG_TEXT_RE.test(value)) {
      return `Invalid tag value: ${JSON.stringify(value)}`
    }
  }
  return undefined
}

/** AWS tags no REST API that is not there (moto's TagResource is emulated above, for any id). */
async function taggedApiGone(
  target: string,
  req: IncomingMessage,
  method: string,
  path: string
): Promise<string | undefined> {
  if (method !== 'PUT' && method !== 'DELETE') return undefined
  const arn = /^\/tags\/([^?]+)/.exec(path)?.[1]
  const api = arn && /^arn:[^:]+:apigateway:[^:]*::\/restapis\/([^/]+)$/.exec(decodeURIComponent(arn))?.[1]
  const domain =
    arn && /^arn:[^:]+:apigateway:[^:]*::\/domainnames\/([^/]+)$/.exec(decodeURIComponent(arn))?.[1]
  if (!api && !domain) return undefined
  if ((await motoStatus(target, req, api ? `/restapis/${api}` : `/domainnames/${domain}`)) !== 404)
    return undefined
  return api
    ? `Invalid API identifier specified ${api}`
    : `Invalid domain name identifier specified ${domain}`
}

/** A read of one item (a REST API, a custom domain) or a list of them in `item`, `fix` applied to each. */
function eachItem(text: string, fix: (item: Json) => void): string {
  let doc: Json
  try {
    doc = JSON.parse(text) as Json
  } catch {
    return text
  }
  if (Array.isArray(doc.item)) for (const item of doc.item as Json[]) fix(item)
  else fix(doc)
  return JSON.stringify(doc)
}

/**
 * moto drops `binaryMediaTypes` at CreateRestApi and garbles AWS's patches of them (op add/remove,
 * the type in the path with '/' as '~1'), ignores patches of a PRIVATE API's VPC endpoints, and reads a
 * patch of `disableExecuteApiEndpoint` to "false" as true: the proxy keeps all three for APIs made
 * through it. `done`: the patch held nothing else.
 */
function keepApiEndpoints(
  state: AwsState,
  rec: Recorded,
  body: Buffer
): { done: boolean; rest: Buffer } | undefined {
  const api = /^\/restapis\/([^/?]+)\/?(?:\?|$)/.exec(rec.path)?.[1]
  const kept = api && rec.method === 'PATCH' ? state.endpoints.get(api) : undefined
  if (!kept) return undefined
  const sent = JSON.parse(body.toString() || '{}') as {
    patchOperations?: { op: string; path: string; value?: string }[]
  }
  const ops = sent.patchOperations ?? []
  const ours = ops.filter(
    o => o.path.startsWith('/binaryMediaTypes/') || isVpcEndpointsPath(o.path) || o.path === NO_EXECUTE_API
  )
  if (ours.length === 0) return undefined
  for (const o of ours) {
    if (o.path === NO_EXECUTE_API) {
      // moto reads a patch to "false" as true; AWS takes the text as a boolean
      kept.disableExecuteApiEndpoint = String(o.value).toLowerCase() === 'true'
    } else if (o.path.startsWith('/binaryMediaTypes/')) {
      const type = o.path.slice('/binaryMediaTypes/'.length).replace(/~1/g, '/').replace(/~0/g, '~')
      kept.binaryMediaTypes = kept.binaryMediaTypes.filter(t => t !== type)
      if (o.op === 'add') kept.binaryMediaTypes.push(type)
      // replace renames the type at the path to the value
      if (o.op === 'replace' && o.value) kept.binaryMediaTypes.push(o.value)
    } else {
      kept.vpcEndpointIds = vpcEndpointsAfter(kept.vpcEndpointIds, [o])
    }
  }
  const rest = ops.filter(o => !ours.includes(o))
  return { done: rest.length === 0, rest: Buffer.from(JSON.stringify({ ...sent, patchOperations: rest })) }
}

const VPC_ENDPOINTS = '/endpointConfiguration/vpcEndpointIds'
const NO_EXECUTE_API = '/disableExecuteApiEndpoint'
const isVpcEndpointsPath = (path: string): boolean =>
  path === VPC_ENDPOINTS || path.startsWith(`${VPC_ENDPOINTS}/`)

/**
 * A REST API's VPC endpoints after patch operations, as AWS applies them: `add` and `remove` of the one
 * in `value` at the list's path, and `replace` of the one named in the path (`…/vpcEndpointIds/<old>`) by
 * the one in `value`, in its place.
 */
function vpcEndpointsAfter(ids: string[], ops: { op: string; path: string; value?: string }[]): string[] {
  let after = [...ids]
  for (const o of ops) {
    if (!isVpcEndpointsPath(o.path)) continue
    const named = o.path.slice(VPC_ENDPOINTS.length + 1)
    if (o.op === 'add' && o.value && !after.includes(o.value)) after.push(o.value)
    else if (o.op === 'remove') after = after.filter(v => v !== (named || o.value))
    else if (o.op === 'replace' && o.value) after = after.map(v => (v === named ? o.value! : v))
  }
  return after
}

/**
 * AWS keeps VPC endpoints on PRIVATE APIs only: it refuses a CreateRestApi of another type that names some,
 * and a patch that would leave an API of another type with some ("VPCEndpoints can only be specified with
 * PRIVATE apis."), an endpoint added or a PRIVATE API turned another type alike; and a patch of them at a path
 * or with an op it does not take. Known for APIs made through the proxy only.
 */
async function vpcEndpointsAwsRefuses(
  target: string,
  req: IncomingMessage,
  rec: Recorded,
  body: Buffer,
  state: AwsState
): Promise<string | undefined> {
  const refusal = 'VPCEndpoints can only be specified with PRIVATE apis.'
  if (rec.method === 'POST' && rec.operation === 'POST /restapis') {
    const asked = JSON.parse(body.toString() || '{}') as {
      endpointConfiguration?: { types?: string[]; vpcEndpointIds?: string[] }
    }
    const config = asked.endpointConfiguration
    return config?.vpcEndpointIds?.length && !config.types?.includes('PRIVATE') ? refusal : undefined
  }
  const api = /^\/restapis\/([^/?]+)\/?(?:\?|$)/.exec(rec.path)?.[1]
  const kept = api && rec.method === 'PATCH' && body.length ? state.endpoints.get(api) : undefined
  if (!kept) return undefined
  const sent = JSON.parse(body.toString()) as {
    patchOperations?: { op: string; path: string; value?: string }[]
  }
  const ops = (sent.patchOperations ?? []).filter(
    o => isVpcEndpointsPath(o.path) || o.path.startsWith('/endpointConfiguration/types/')
  )
  if (ops.length === 0) return undefined
  for (const o of ops.filter(x => isVpcEndpointsPath(x.path))) {
    const named = o.path !== VPC_ENDPOINTS
    const takes = named ? ['remove', 'replace'] : ['add', 'remove']
    if (!takes.includes(o.op) || (o.op !== 'remove' && !o.value) || (!named && !o.value)) {
      return `Invalid patch path ${o.path} for operation ${o.op}`
    }
  }
  if (vpcEndpointsAfter(kept.vpcEndpointIds, ops).length === 0) return undefined
  const retyped = ops
    .filter(o => o.path.startsWith('/endpointConfiguration/types/') && o.op === 'replace')
    .at(-1)
  const type = retyped ? retyped.value : await motoEndpointType(target, req, api!)
  return type === 'PRIVATE' ? undefined : refusal
}

/** A REST API's endpoint type as moto holds it. */
async function motoEndpointType(
  target: string,
  req: IncomingMessage,
  api: string
): Promise<string | undefined> {
  const res = await fetch(`${target}/restapis/${api}`, {
    headers: { authorization: String(req.headers.authorization ?? '') }
  })
  const got = (await res.json()) as { endpointConfiguration?: { types?: string[] } }
  return got.endpointConfiguration?.types?.[0]
}

/**
 * AWS takes a binary media type in a patch path only JSON-pointer escaped (`/binaryMediaTypes/image~1png`:
 * a `/` left in it is another path, which AWS refuses), and only `add`, `remove` or `replace` of one.
 */
function binaryPatchAwsRefuses(method: string, path: string, body: Buffer): string | undefined {
  if (method !== 'PATCH' || !/^\/restapis\/[^/?]+\/?(?:\?|$)/.test(path) || !body.length) return undefined
  const sent = JSON.parse(body.toString()) as { patchOperations?: { op: string; path: string }[] }
  for (const o of sent.patchOperations ?? []) {
    if (!o.path.startsWith('/binaryMediaTypes/')) continue
    const type = o.path.slice('/binaryMediaTypes/'.length)
    if (type === '' || type.includes('/') || !['add', 'remove', 'replace'].includes(o.op)) {
      return `Invalid patch path ${o.path} for operation ${o.op}`
    }
  }
  return undefined
}

/** REST API reads with the binary media types and VPC endpoints the proxy keeps. */
function addApiEndpoints(text: string, endpoints: AwsState['endpoints']): string {
  return eachItem(text, api => {
    const kept = endpoints.get(String(api.id))
    if (!kept) return
    api.binaryMediaTypes = kept.binaryMediaTypes
    api.disableExecuteApiEndpoint = kept.disableExecuteApiEndpoint
    const config = (api.endpointConfiguration ?? {}) as Json
    // (moto keeps those it was made with, whatever patches removed since)
    if (kept.vpcEndpointIds.length > 0) config.vpcEndpointIds = kept.vpcEndpointIds
    else delete config.vpcEndpointIds
    api.endpointConfiguration = config
  })
}

/** Reads of REST APIs (by `id`) or custom domains (by `domainName`) with the tags TagResource set. */
function addTags(
  text: string,
  kept: Map<string, Record<string, string | undefined>>,
  key: 'id' | 'domainName'
): string {
  return eachItem(text, item => {
    const extra = kept.get(String(item[key]))
    if (!extra) return
    const tags = { ...((item.tags ?? {}) as Record<string, string>) }
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete tags[k]
      else tags[k] = v
    }
    item.tags = tags
  })
}

/** REST APIs made through the proxy dated by its clock, not moto's. */
function clockDates(text: string, createdAt: Map<string, number>): string {
  if (createdAt.size === 0) return text
  return eachItem(text, api => {
    const at = createdAt.get(String(api.id))
    if (at !== undefined && 'createdDate' in api) api.createdDate = at
  })
}

/** REST API dates (epoch seconds) cut to multiples of `g` seconds. */
function coarseDates(text: string, g: number): string {
  return text.replace(
    /"createdDate":\s*(\d+(?:\.\d+)?)/g,
    (_m, t: string) => `"createdDate": ${Math.floor(Number(t) / g) * g}`
  )
}

/** AWS refuses to delete a VPC link an integration still goes through. */
/**
 * AWS refuses an integration through a VPC link that does not exist, and a deployment of an API whose
 * integrations go through one that is gone (moto accepts both).
 */
async function linkAwsRefuses(
  target: string,
  req: IncomingMessage,
  method: string,
  path: string,
  body: Buffer,
  state: AwsState
): Promise<string | undefined> {
  const exists = async (id: string, v2: boolean): Promise<boolean> =>
    (await motoStatus(target, req, `${v2 ? '/v2' : ''}/vpclinks/${id}`)) !== 404
  const integration = /^\/restapis\/[^/]+\/resources\/[^/]+\/methods\/[^/?]+\/integration\/?(?:\?|$)/.test(
    path
  )
  if (method === 'PUT' && integration && body.length) {
    const sent = JSON.parse(body.toString()) as {
      connectionType?: string
      connectionId?: string
      integrationTarget?: string
    }
    const id = sent.connectionType === 'VPC_LINK' ? sent.connectionId : undefined
    if (id && !id.includes('${') && !(await exists(id, Boolean(sent.integrationTarget)))) {
      return `Invalid VPC Link identifier specified ${id}`
    }
  }
  const deployment = /^\/restapis\/([^/]+)\/deployments\/?(?:\?|$)/.exec(path)
  if (method === 'POST' && deployment) {
    const links = new Map<string, boolean>()
    for (const [key, v] of state.connectionIds) {
      // a link named by a stage variable is only known per stage, when a request comes (AWS checks none here)
      if (key.startsWith(`${deployment[1]}/`) && !v.connectionId.includes('${'))
        links.set(v.connectionId, Boolean(v.integrationTarget))
    }
    for (const [id, v2] of links) {
      if (!(await exists(id, v2))) return `VPC link ${id} of an integration of this API does not exist`
    }
  }
  return undefined
}

/** The VPC links each stage's deployment went through (AWS counts those as in use, besides integrations). */
function deployedLinks(state: AwsState): [string, string][] {
  return [...state.stages].flatMap(([stage, deploymentId]) => {
    const api = stage.split('/')[0]
    return [...(state.deployed.get(`${api}/${deploymentId}`) ?? [])].map(
      link => [link, stage] as [string, string]
    )
  })
}

async function linkInUse(
  target: string,
  req: IncomingMessage,
  state: AwsState,
  path: string
): Promise<{ status: number; code: string; message: string } | undefined> {
  const m = /^\/(v2\/)?vpclinks\/([^/?]+)/.exec(path)
  if (!m) return undefined
  // AWS names each method, resource and deployed stage that goes through it, and each stage (or canary)
  // that names it in a stage variable its integrations go through
  const users = [
    ...[...state.connectionIds.entries()].filter(([, v]) => v.connectionId === m[2]).map(([k]) => k),
    ...deployedLinks(state)
      .filter(([link]) => link === m[2])
      .map(([, stage]) => `stage ${stage}`),
    ...(await stagesReaching(target, req, m[2], state.connectionIds, state.canaries))
  ]
  if (users.length === 0) return undefined
  const message = `Cannot delete vpc link. Vpc link '${m[2]}', is referenced in [${users.join(', ')}]`
  return m[1]
    ? { status: 409, code: 'ConflictException', message }
    : { status: 400, code: 'BadRequestException', message }
}

/** The writes whose 409 the proxy decides (awsConflict), keyed by what two of them must not race on. */
function conflictKey(rec: Recorded): string | undefined {
  const path = rec.path.split('?')[0]
  const resource = /^\/restapis\/([^/]+)\/resources\/[^/]+\/?$/.exec(path)
  if (rec.method === 'POST' && resource) return `resources of ${resource[1]}`
  const methodPath = /^\/restapis\/[^/]+\/resources\/[^/]+\/methods\/[^/]+\/?$/.exec(path)
  if (rec.method === 'PUT' && methodPath) return `method ${methodPath[0]}`
  return undefined
}

/** What AWS refuses with 409 but moto accepts: a duplicate resource path, a PutMethod over a method. */
async function awsConflict(
  target: string,
  req: IncomingMessage,
  path: string,
  method: string,
  body: Buffer
): Promise<string | undefined> {
  const get = async (p: string): Promise<Json | undefined> => {
    const res = await fetch(`${target}${p}`, {
      headers: { authorization: String(req.headers.authorization ?? '') }
    })
    return res.ok ? ((await res.json()) as Json) : undefined
  }
  const resource = /^\/restapis\/([^/]+)\/resources\/([^/?]+)\/?$/.exec(path)
  if (method === 'POST' && resource) {
    const pathPart = (JSON.parse(body.toString() || '{}') as { pathPart?: string }).pathPart
    const items = ((await get(`/restapis/${resource[1]}/resources`))?.item ?? []) as Json[]
    if (items.some(r => r.parentId === resource[2] && r.pathPart === pathPart)) {
      return 'Another resource with the same parent already has this name'
    }
  }
  const methodPath = /^\/restapis\/[^/]+\/resources\/[^/]+\/methods\/[^/?]+\/?$/.exec(path)
  if (method === 'PUT' && methodPath && (await get(path))) return 'Method already exists for this resource'
  return undefined
}

const xmlText = (x: string): string =>
  x
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
const dnsName = (n: string): string => xmlText(n).replace(/\.$/, '').toLowerCase()

/** A record set of Route 53 XML, as a string to compare: name, type, alias target or values. */
function recordKey(xml: string): string {
  const tag = (t: string): string => new RegExp(`<${t}>([^<]*)</${t}>`).exec(xml)?.[1] ?? ''
  const values = [...xml.matchAll(/<Value>([^<]*)<\/Value>/g)].map(m => xmlText(m[1])).sort()
  const alias = /<AliasTarget>[\s\S]*?<DNSName>([^<]*)<\/DNSName>/.exec(xml)?.[1]
  return JSON.stringify([dnsName(tag('Name')), tag('Type'), alias ? dnsName(alias) : values])
}

/**
 * moto takes a DELETE of a record set that is not there (gone, or with other values) as done; AWS refuses
 * the batch with 400 InvalidChangeBatch, and so does the proxy.
 */
async function recordNotFound(
  target: string,
  req: IncomingMessage,
  rec: Recorded,
  body: Buffer
): Promise<Answer | undefined> {
  const zone = /^\/2013-04-01\/hostedzone\/([^/?]+)\/rrset\/?$/.exec(rec.path)?.[1]
  if (rec.method !== 'POST' || !zone) return undefined
  const deletes = [...body.toString().matchAll(/<Change>([\s\S]*?)<\/Change>/g)]
    .map(m => m[1])
    .filter(c => /<Action>DELETE<\/Action>/.test(c))
  if (deletes.length === 0) return undefined
  const res = await fetch(`${target}/2013-04-01/hostedzone/${zone}/rrset`, {
    headers: { authorization: String(req.headers.authorization ?? '') }
  })
  const held = [...(await res.text()).matchAll(/<ResourceRecordSet>([\s\S]*?)<\/ResourceRecordSet>/g)].map(
    m => recordKey(m[1])
  )
  const missing = deletes
    .map(c => /<ResourceRecordSet>([\s\S]*?)<\/ResourceRecordSet>/.exec(c)?.[1] ?? '')
    .find(r => !held.includes(recordKey(r)))
  if (missing === undefined) return undefined
  const [name, type] = JSON.parse(recordKey(missing)) as [string, string]
  const message = `Tried to delete resource record set [name='${name}.', type='${type}'] but it was not found`
  return {
    status: 400,
    headers: { 'content-type': 'text/xml' },
    body: Buffer.from(
      '<?xml version="1.0"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
        `<Error><Type>Sender</Type><Code>InvalidChangeBatch</Code><Message>${message}</Message></Error>` +
        '<RequestId>injected</RequestId></ErrorResponse>'
    )
  }
}

/**
 * moto answers 500 to a DeleteRestApi of an API that is gone, to a DeleteUsagePlan of a plan that is
 * gone and to a DeleteUsagePlanKey of a key not on the plan; AWS answers 404 NotFoundException.
 */
async function awsNotFound(
  target: string,
  req: IncomingMessage,
  path: string,
  method: string
): Promise<string | undefined> {
  const plan = /^\/usageplans\/([^/?]+)(?:\/keys\/([^/?]+))?\/?(?:\?|$)/.exec(path)
  if (method === 'DELETE' && plan) {
    const status = (p: string) => motoStatus(target, req, p)
    if ((await status(`/usageplans/${plan[1]}`)) === 404) return `Invalid Usage Plan ID specified`
    // (moto keeps a deleted plan's keys: the plan is asked first)
    if (plan[2] && (await status(`/usageplans/${plan[1]}/keys/${plan[2]}`)) === 404)
      return `Invalid Usage Plan Key identifier specified`
    return undefined
  }
  const api = /^\/restapis\/([^/?]+)\/?(?:\?|$)/.exec(path)
  if (method !== 'DELETE' || !api) return undefined
  return (await motoStatus(target, req, `/restapis/${api[1]}`)) === 404
    ? `Invalid API identifier specified ${api[1]}`
    : undefined
}

function addConnectionIds(
  text: string,
  path: string,
  ids: Map<string, { connectionId: string; integrationTarget?: string }>,
  modes: Map<string, string>
): string {
  let doc: Json
  try {
    doc = JSON.parse(text) as Json
  } catch {
    return text
  }
  const apiId = path.split('/')[2]
  const fill = (resourceId: string, httpMethod: string, integration: Json | undefined | null): void => {
    const kept = ids.get(`${apiId}/${resourceId}/${httpMethod}`)
    const mode = modes.get(`${apiId}/${resourceId}/${httpMethod}`)
    // AWS shows every integration's mode, BUFFERED where none was set
    if (integration) integration.responseTransferMode = mode ?? 'BUFFERED'
    if (integration && kept && integration.connectionType === 'VPC_LINK') {
      integration.connectionId = kept.connectionId
      if (kept.integrationTarget) integration.integrationTarget = kept.integrationTarget
    }
  }
  const fillResource = (r: Json): void => {
    const methods = (r.resourceMethods ?? {}) as Record<string, Json>
    for (const [name, m] of Object.entries(methods)) fill(String(r.id), name, m.methodIntegration as Json)
  }
  const parts = path.split('?')[0].split('/')
  // /restapis/{api}/resources[/{res}[/methods/{m}[/integration]]]
  if (parts[3] === 'resources' && parts.length === 4)
    for (const r of (doc.item ?? []) as Json[]) fillResource(r)
  else if (parts[3] === 'resources' && parts.length === 5) fillResource(doc)
  else if (parts[5] === 'methods' && parts.length === 7)
    fill(parts[4], parts[6], doc.methodIntegration as Json)
  else if (parts[5] === 'methods' && parts[7] === 'integration') fill(parts[4], parts[6], doc)
  return JSON.stringify(doc)
}

/**
 * moto names every Classic ELB `<name>.us-east-1.elb.amazonaws.com`, whatever its region or scheme; AWS
 * names it `<name>-<digits>.<region>.elb.amazonaws.com`, with `internal-` first when it is internal. The
 * Classic API's answers (API version 2012-06-01) are given AWS's names: the digits a hash of the name
 * and region, the region the request's, the scheme the load balancer's (or the one asked for on create).
 */
function classicDnsNames(req: IncomingMessage, body: Buffer, answer: Answer): Answer {
  const asked = new URLSearchParams(body.toString())
  if (asked.get('Version') !== '2012-06-01' || answer.status >= 400) return answer
  const region =
    /Credential=[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '?'
  const awsName = (name: string, internal: boolean): string => {
    let hash = 0x811c9dc5
    for (const c of `${name}/${region}`) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193) >>> 0
    return `${internal ? 'internal-' : ''}${name}-${1_000_000_000 + (hash % 900_000_000)}.${region}.elb.amazonaws.com`
  }
  const motoName = (name: string): RegExp =>
    new RegExp(`>${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.us-east-1\\.elb\\.amazonaws\\.com<`, 'g')
  let text = answer.body.toString()
  if (asked.get('Action') === 'CreateLoadBalancer') {
    const name = asked.get('LoadBalancerName') ?? ''
    text = text.replace(motoName(name), `>${awsName(name, asked.get('Scheme') === 'internal')}<`)
  } else if (asked.get('Action') === 'DescribeLoadBalancers') {
    // one description per <LoadBalancerName>: its DNS names and its scheme are in it
    text = text
      .split('<LoadBalancerName>')
      .map((part, i) => {
        const name = i === 0 ? undefined : /^([^<]*)</.exec(part)?.[1]
        if (!name) return part
        return part.replace(motoName(name), `>${awsName(name, /<Scheme>internal<\/Scheme>/.test(part))}<`)
      })
      .join('<LoadBalancerName>')
  }
  return { ...answer, body: Buffer.from(text) }
}
