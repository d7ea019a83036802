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
 * - moto deletes a VPC link that integrations still go through; AWS refuses (400
 *   BadRequestException for a REST link, 409 ConflictException for a v2 link), and so does the
 *   proxy.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

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
  /** The client's user agent: tells apart runs that share the proxy. */
  agent: string
  /** The request body of an API Gateway write (JSON), to check what the action sent. */
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
  /** Answer 409 where AWS does and moto does not (default true; costs a read of moto per PutMethod and CreateResource). */
  emulateConflicts?: boolean
  /** Decides per request whether to fail it instead of forwarding; `writeIndex` counts writes from 1. */
  fault?: (req: Recorded, counters: { index: number; writeIndex: number }) => Fault | undefined
  /**
   * AWS dates REST APIs to the whole second. With this, API dates and every answer's Date
   * header are cut to multiples of this many seconds: runs a second apart look as if in one second.
   */
  clockGranularitySeconds?: number
}

export interface MotoProxy {
  endpoint: string
  requests: Recorded[]
  options: ProxyOptions
  writes(): Recorded[]
  /** Resolves once a request the predicate picks has been answered (or one already was). */
  answered(pick: (r: Recorded) => boolean): Promise<Recorded>
  clear(): void
  stop(): Promise<void>
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
    .replace(/\/(restapis|resources|deployments|stages|vpclinks|responses)\/[^/]+/g, '/$1/{id}')
    .replace(/\/methods\/[^/]+/, '/methods/{m}')
}

export async function startProxy(target: string, options: ProxyOptions = {}): Promise<MotoProxy> {
  const requests: Recorded[] = []
  const connectionIds = new Map<string, { connectionId: string; integrationTarget?: string }>()
  /** Tags of REST APIs set after creation (moto keeps only those given at creation); undefined = removed. */
  const apiTags = new Map<string, Record<string, string | undefined>>()
  const waiters: { pick: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = []
  let writeIndex = 0
  const upstream = new URL(target)

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req)
    const service = serviceOf(req)
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    let operation: string
    let write: boolean
    if (service === 'apigateway') {
      operation = `${method} ${templatePath(path)}`
      write = method !== 'GET' && method !== 'HEAD'
    } else {
      const amzTarget = String(req.headers['x-amz-target'] ?? '').split('.').pop()
      const action = new URLSearchParams(body.toString()).get('Action') ?? (amzTarget || method)
      operation = action
      write = !/^(Describe|Get|List)/.test(action)
    }
    const agent = String(req.headers['x-amz-user-agent'] ?? '') + ' ' + String(req.headers['user-agent'] ?? '')
    const rec: Recorded = { service, method, path, operation, write, agent, start: performance.now() }
    if (service === 'apigateway' && write && body.length) rec.body = body.toString()
    res.on('finish', () => {
      rec.end = performance.now()
      for (const w of [...waiters]) {
        if (w.pick(rec)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(rec)
        }
      }
    })
    res.on('close', () => (rec.end ??= performance.now()))
    requests.push(rec)
    if (write) writeIndex++
    const fault = options.fault?.(rec, { index: requests.length, writeIndex })
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs))
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms))
    if (fault?.kind === 'hold') await fault.until
    if (fault?.kind === 'reset') {
      rec.injected = 'reset'
      req.socket.destroy()
      return
    }
    const answerError = (f: { status: number; code: string; message?: string }): void => {
      rec.injected = f.code
      rec.status = f.status
      res.writeHead(f.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': f.code,
        'x-amzn-requestid': 'injected'
      })
      res.end(JSON.stringify({ message: f.message ?? `injected ${f.code}`, __type: f.code }))
    }
    if (fault?.kind === 'status') return answerError(fault)

    // moto gap: remember connectionId as AWS would keep it
    const m = /^\/restapis\/([^/]+)\/resources\/([^/]+)\/methods\/([^/?]+)(\/integration)?\/?(?:\?|$)/.exec(path)
    const apiMatch = /^\/restapis\/([^/?]+)\/?(?:\?|$)/.exec(path)
    if (service === 'apigateway' && m) {
      const key = `${m[1]}/${m[2]}/${m[3]}`
      if (method === 'PUT' && m[4]) {
        const sent = body.length
          ? (JSON.parse(body.toString()) as { connectionType?: string; connectionId?: string; integrationTarget?: string })
          : {}
        if (sent.connectionType === 'VPC_LINK' && sent.connectionId) {
          connectionIds.set(key, { connectionId: sent.connectionId, integrationTarget: sent.integrationTarget })
        } else connectionIds.delete(key)
      }
      if (method === 'DELETE' || (method === 'PUT' && !m[4])) connectionIds.delete(key)
    }
    if (service === 'apigateway' && apiMatch && method === 'DELETE') {
      for (const k of [...connectionIds.keys()]) if (k.startsWith(`${apiMatch[1]}/`)) connectionIds.delete(k)
    }

    if (service === 'apigateway') {
      const answered = emulateApiTags(apiTags, method, path, body)
      if (answered) {
        rec.status = answered
        res.writeHead(answered, { 'content-type': 'application/json' })
        res.end(answered === 204 ? undefined : '{}')
        return
      }
      const inUse = method === 'DELETE' ? linkInUse(connectionIds, path) : undefined
      if (inUse) return answerError(inUse)
      if (apiMatch && method === 'DELETE') apiTags.delete(apiMatch[1])
    }

    const gone = service === 'apigateway' ? await awsNotFound(target, req, path, method) : undefined
    if (gone) return answerError({ status: 404, code: 'NotFoundException', message: gone })

    const conflict =
      service === 'apigateway' && options.emulateConflicts !== false ? await awsConflict(target, req, path, method, body) : undefined
    if (conflict) return answerError({ status: 409, code: 'ConflictException', message: conflict })

    const headers = { ...req.headers, host: upstream.host }
    const up = httpRequest(
      { host: upstream.hostname, port: upstream.port, method, path, headers },
      (upRes) => {
        void readBody(upRes).then((payload) => {
          rec.status = upRes.statusCode
          if (fault?.kind === 'apply-then-status') return answerError(fault)
          if (fault?.kind === 'apply-then-reset') {
            rec.injected = 'apply-then-reset'
            req.socket.destroy()
            return
          }
          let out = payload
          if (service === 'apigateway' && method === 'GET' && connectionIds.size > 0 && path.startsWith('/restapis/')) {
            out = Buffer.from(addConnectionIds(payload.toString(), path, connectionIds))
          }
          if (service === 'apigateway' && method === 'GET' && apiTags.size > 0 && /^\/restapis\/?(?:[^/?]+\/?)?(?:\?|$)/.test(path)) {
            out = Buffer.from(addApiTags(out.toString(), apiTags))
          }
          const outHeaders = { ...upRes.headers, 'content-length': String(out.length) }
          const g = options.clockGranularitySeconds
          if (g && service === 'apigateway') {
            out = Buffer.from(coarseDates(out.toString(), g))
            outHeaders['content-length'] = String(out.length)
            outHeaders.date = new Date(Math.floor(Date.now() / 1000 / g) * g * 1000).toUTCString()
          }
          delete outHeaders['transfer-encoding']
          res.writeHead(upRes.statusCode ?? 500, outHeaders)
          res.end(out)
        })
      }
    )
    up.on('error', (error) => {
      res.writeHead(502)
      res.end(String(error))
    })
    up.end(body)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500)
      res.end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    options,
    writes: () => requests.filter((r) => r.write),
    answered: (pick) => {
      const done = requests.find((r) => r.end !== undefined && pick(r))
      return done ? Promise.resolve(done) : new Promise((resolve) => waiters.push({ pick, resolve }))
    },
    clear: () => {
      requests.length = 0
      writeIndex = 0
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

type Json = Record<string, unknown>

/** TagResource / UntagResource on a REST API's ARN: kept here (moto cannot). Returns the status answered, if it answered. */
function emulateApiTags(apiTags: Map<string, Record<string, string | undefined>>, method: string, path: string, body: Buffer): number | undefined {
  const m = /^\/tags\/([^?]+)/.exec(path)
  if (!m) return undefined
  const arn = decodeURIComponent(m[1])
  const api = /^arn:[^:]+:apigateway:[^:]*::\/restapis\/([^/]+)$/.exec(arn)?.[1]
  if (!api) return undefined
  const kept = apiTags.get(api) ?? {}
  if (method === 'PUT') {
    Object.assign(kept, (JSON.parse(body.toString() || '{}') as { tags?: Record<string, string> }).tags ?? {})
  } else if (method === 'DELETE') {
    for (const key of new URL(path, 'http://x').searchParams.getAll('tagKeys')) kept[key] = undefined
  } else return undefined
  apiTags.set(api, kept)
  return 204
}

/** REST API reads (one API or the list) with the tags TagResource set. */
function addApiTags(text: string, apiTags: Map<string, Record<string, string | undefined>>): string {
  let doc: Json
  try {
    doc = JSON.parse(text) as Json
  } catch {
    return text
  }
  const fix = (api: Json): void => {
    const extra = apiTags.get(String(api.id))
    if (!extra) return
    const tags = { ...((api.tags ?? {}) as Record<string, string>) }
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete tags[k]
      else tags[k] = v
    }
    api.tags = tags
  }
  if (Array.isArray(doc.item)) for (const api of doc.item as Json[]) fix(api)
  else fix(doc)
  return JSON.stringify(doc)
}

/** REST API dates (epoch seconds) cut to multiples of `g` seconds. */
function coarseDates(text: string, g: number): string {
  return text.replace(/"createdDate":\s*(\d+(?:\.\d+)?)/g, (_m, t: string) => `"createdDate": ${Math.floor(Number(t) / g) * g}`)
}

/** AWS refuses to delete a VPC link an integration still goes through. */
function linkInUse(
  ids: Map<string, { connectionId: string }>,
  path: string
): { status: number; code: string; message: string } | undefined {
  const m = /^\/(v2\/)?vpclinks\/([^/?]+)/.exec(path)
  if (!m) return undefined
  const users = [...ids.entries()].filter(([, v]) => v.connectionId === m[2]).map(([k]) => k)
  if (users.length === 0) return undefined
  const message = `Cannot delete vpc link. Vpc link '${m[2]}', is referenced in [${users.join(', ')}]`
  return m[1] ? { status: 409, code: 'ConflictException', message } : { status: 400, code: 'BadRequestException', message }
}

/** What AWS refuses with 409 but moto accepts: a duplicate resource path, a PutMethod over a method. */
async function awsConflict(target: string, req: IncomingMessage, path: string, method: string, body: Buffer): Promise<string | undefined> {
  const get = async (p: string): Promise<Json | undefined> => {
    const res = await fetch(`${target}${p}`, { headers: { authorization: String(req.headers.authorization ?? '') } })
    return res.ok ? ((await res.json()) as Json) : undefined
  }
  const resource = /^\/restapis\/([^/]+)\/resources\/([^/?]+)\/?$/.exec(path)
  if (method === 'POST' && resource) {
    const pathPart = (JSON.parse(body.toString() || '{}') as { pathPart?: string }).pathPart
    const items = ((await get(`/restapis/${resource[1]}/resources`))?.item ?? []) as Json[]
    if (items.some((r) => r.parentId === resource[2] && r.pathPart === pathPart)) {
      return 'Another resource with the same parent already has this name'
    }
  }
  const methodPath = /^\/restapis\/[^/]+\/resources\/[^/]+\/methods\/[^/?]+\/?$/.exec(path)
  if (method === 'PUT' && methodPath && (await get(path))) return 'Method already exists for this resource'
  return undefined
}

/** moto answers 500 to a DeleteRestApi of an API that is gone; AWS answers 404 NotFoundException. */
async function awsNotFound(target: string, req: IncomingMessage, path: string, method: string): Promise<string | undefined> {
  const api = /^\/restapis\/([^/?]+)\/?(?:\?|$)/.exec(path)
  if (method !== 'DELETE' || !api) return undefined
  const res = await fetch(`${target}/restapis/${api[1]}`, { headers: { authorization: String(req.headers.authorization ?? '') } })
  await res.body?.cancel()
  return res.status === 404 ? `Invalid API identifier specified ${api[1]}` : undefined
}

function addConnectionIds(
  text: string,
  path: string,
  ids: Map<string, { connectionId: string; integrationTarget?: string }>
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
  if (parts[3] === 'resources' && parts.length === 4) for (const r of (doc.item ?? []) as Json[]) fillResource(r)
  else if (parts[3] === 'resources' && parts.length === 5) fillResource(doc)
  else if (parts[5] === 'methods' && parts.length === 7) fill(parts[4], parts[6], doc.methodIntegration as Json)
  else if (parts[5] === 'methods' && parts[7] === 'integration') fill(parts[4], parts[6], doc)
  return JSON.stringify(doc)
}
