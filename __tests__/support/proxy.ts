/**
 * A loopback proxy in front of moto server. It records every AWS request (service, operation,
 * read or write), can inject faults (throttling, 5xx, latency, dropped connections), and fills
 * one moto gap so tests can see what AWS would show: moto does not keep an integration's
 * `connectionId`, so the proxy remembers it from PutIntegration and adds it to later reads.
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
}

export type Fault =
  | { kind: 'status'; status: number; code: string; message?: string }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }

export interface ProxyOptions {
  /** Added to every request, like a real region's round trip. */
  latencyMs?: number
  /** Decides per request whether to fail it instead of forwarding; `writeIndex` counts writes from 1. */
  fault?: (req: Recorded, counters: { index: number; writeIndex: number }) => Fault | undefined
}

export interface MotoProxy {
  endpoint: string
  requests: Recorded[]
  options: ProxyOptions
  writes(): Recorded[]
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
  const connectionIds = new Map<string, string>()
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
    const rec: Recorded = { service, method, path, operation, write }
    requests.push(rec)
    if (write) writeIndex++
    const fault = options.fault?.(rec, { index: requests.length, writeIndex })
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs))
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms))
    if (fault?.kind === 'reset') {
      rec.injected = 'reset'
      req.socket.destroy()
      return
    }
    if (fault?.kind === 'status') {
      rec.injected = fault.code
      rec.status = fault.status
      const message = fault.message ?? `injected ${fault.code}`
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': fault.code,
        'x-amzn-requestid': 'injected'
      })
      res.end(JSON.stringify({ message, __type: fault.code }))
      return
    }

    // moto gap: remember connectionId as AWS would keep it
    const m = /^\/restapis\/([^/]+)\/resources\/([^/]+)\/methods\/([^/?]+)(\/integration)?\/?(?:\?|$)/.exec(path)
    const apiMatch = /^\/restapis\/([^/?]+)\/?(?:\?|$)/.exec(path)
    if (service === 'apigateway' && m) {
      const key = `${m[1]}/${m[2]}/${m[3]}`
      if (method === 'PUT' && m[4]) {
        const sent = body.length ? (JSON.parse(body.toString()) as { connectionType?: string; connectionId?: string }) : {}
        if (sent.connectionType === 'VPC_LINK' && sent.connectionId) connectionIds.set(key, sent.connectionId)
        else connectionIds.delete(key)
      }
      if (method === 'DELETE' || (method === 'PUT' && !m[4])) connectionIds.delete(key)
    }
    if (service === 'apigateway' && apiMatch && method === 'DELETE') {
      for (const k of [...connectionIds.keys()]) if (k.startsWith(`${apiMatch[1]}/`)) connectionIds.delete(k)
    }

    const headers = { ...req.headers, host: upstream.host }
    const up = httpRequest(
      { host: upstream.hostname, port: upstream.port, method, path, headers },
      (upRes) => {
        void readBody(upRes).then((payload) => {
          rec.status = upRes.statusCode
          let out = payload
          if (service === 'apigateway' && method === 'GET' && connectionIds.size > 0 && path.startsWith('/restapis/')) {
            out = Buffer.from(addConnectionIds(payload.toString(), path, connectionIds))
          }
          const outHeaders = { ...upRes.headers, 'content-length': String(out.length) }
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

function addConnectionIds(text: string, path: string, ids: Map<string, string>): string {
  let doc: Json
  try {
    doc = JSON.parse(text) as Json
  } catch {
    return text
  }
  const apiId = path.split('/')[2]
  const fill = (resourceId: string, httpMethod: string, integration: Json | undefined | null): void => {
    const id = ids.get(`${apiId}/${resourceId}/${httpMethod}`)
    if (integration && id && integration.connectionType === 'VPC_LINK') integration.connectionId = id
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
