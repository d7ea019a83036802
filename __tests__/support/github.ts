/**
 * A stand-in for GitHub's REST API, on loopback, for the previews' tests: the routes the previews use,
 * answering as GitHub does (status codes and messages, `Bad credentials`, `Resource not accessible by
 * integration` with the permissions GitHub would accept, comments paged by `per_page`/`page` with a
 * `Link` header), under a path prefix as GitHub Enterprise Server's `/api/v3`, so that a client that
 * ignored GITHUB_API_URL would miss it. It records every request; it never keeps a token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Account {
  login: string
  id: number
  type: 'User' | 'Bot'
}

export const ACTIONS_BOT: Account = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
export const PERSON: Account = { login: 'octocat', id: 583231, type: 'User' }

/** What a token may do: an installation token (the workflow's, ghs_) or a person's (ghp_). */
export interface TokenGrant {
  account: Account
  /** An installation token cannot read `GET /user`. */
  installation: boolean
  pullRequests: 'read' | 'write'
  deployments: 'none' | 'read' | 'write'
}

export interface StoredComment {
  id: number
  issue: number
  body: string
  user: Account
  created_at: string
  updated_at: string
}

export interface StoredDeployment {
  id: number
  ref: string
  environment: string
  description: string | null
  payload: unknown
  transient_environment: boolean
  creator: Account
  statuses: { state: string; environment_url: string; log_url: string }[]
}

export interface RecordedRequest {
  method: string
  /** Without the prefix and the query: `/repos/o/r/issues/7/comments`. */
  path: string
  query: string
}

const DOCS = 'https://docs.github.com/rest'
const DEPLOYMENT_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {}
  ) {}
}

const noAccess = (accepted: string): HttpAnswer =>
  new HttpAnswer(
    403,
    { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' },
    { 'x-accepted-github-permissions': accepted }
  )
const notFound = (): HttpAnswer =>
  new HttpAnswer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' })

export class GitHubStandIn {
  readonly prefix = '/api/v3'
  readonly requests: RecordedRequest[] = []
  readonly comments: StoredComment[] = []
  readonly deployments: StoredDeployment[] = []
  /** When set, every request is answered with this status (GitHub having a bad day). */
  failWith?: number
  private readonly tokens = new Map<string, TokenGrant>()
  private server?: Server
  private port = 0
  private nextId = 1000
  private clock = Date.parse('2026-11-30T12:00:00Z')

  constructor(
    readonly owner: string,
    readonly repo: string
  ) {}

  /** GITHUB_API_URL for the client. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${this.prefix}`
  }

  grant(token: string, grant: TokenGrant): void {
    this.tokens.set(token, grant)
  }

  /** A comment someone wrote, as if through GitHub's own page. */
  addComment(issue: number, user: Account, body: string): StoredComment {
    const at = this.tick()
    const comment = { id: this.nextId++, issue, body, user, created_at: at, updated_at: at }
    this.comments.push(comment)
    return comment
  }

  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter(c => c.issue === issue)
  }

  /** The requests since `from` (an index into `requests`), as `METHOD path` lines. */
  since(from: number): string[] {
    return this.requests.slice(from).map(r => `${r.method} ${r.path}`)
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res))
    await new Promise<void>(resolve => this.server?.listen(this.port, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }

  /** Down: nothing listens on the port any more (connections refused); `start` again to come back. */
  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }

  private tick(): string {
    this.clock += 1000
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname.startsWith(this.prefix) ? url.pathname.slice(this.prefix.length) : url.pathname
    const method = req.method ?? 'GET'
    this.requests.push({ method, path, query: url.search })
    let answer: HttpAnswer
    try {
      answer = this.answer(method, path, url.searchParams, req.headers.authorization, chunks)
    } catch (error) {
      answer = error instanceof HttpAnswer ? error : new HttpAnswer(500, { message: String(error) })
    }
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers })
    res.end(answer.status === 204 ? undefined : JSON.stringify(answer.body))
  }

  private answer(
    method: string,
    path: string,
    query: URLSearchParams,
    authorization: string | undefined,
    chunks: Buffer[]
  ): HttpAnswer {
    if (this.failWith)
      return new HttpAnswer(this.failWith, {
        message: this.failWith === 503 ? 'Service Unavailable' : 'Server Error'
      })
    const token = /^(?:token|bearer) (.+)$/i.exec(authorization ?? '')?.[1]
    const grant = token ? this.tokens.get(token) : undefined
    if (!grant)
      return new HttpAnswer(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' })
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
      : {}
    if (method === 'GET' && path === '/user') {
      if (grant.installation) return noAccess('')
      return new HttpAnswer(200, grant.account)
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path)
    if (!m || m[1] !== this.owner || m[2] !== this.repo) return notFound()
    return this.repoAnswer(method, m[3], query, grant, body)
  }

  private repoAnswer(
    method: string,
    rest: string,
    query: URLSearchParams,
    grant: TokenGrant,
    body: Record<string, unknown>
  ): HttpAnswer {
    let m: RegExpExecArray | null
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1])
      if (method === 'GET') return this.listComments(issue, rest, query)
      if (method !== 'POST') return notFound()
      if (grant.pullRequests !== 'write') return noAccess('issues=write; pull_requests=write')
      if (typeof body.body !== 'string') return unprocessable('body')
      return new HttpAnswer(201, this.addComment(issue, grant.account, body.body))
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === 'PATCH') {
      const comment = this.comments.find(c => c.id === Number(m?.[1]))
      if (!comment) return notFound()
      if (grant.pullRequests !== 'write') return noAccess('issues=write; pull_requests=write')
      if (typeof body.body !== 'string') return unprocessable('body')
      comment.body = body.body
      comment.updated_at = this.tick()
      return new HttpAnswer(200, comment)
    }
    if (rest === '/deployments') return this.deploymentsAnswer(method, query, grant, body)
    if ((m = /^\/deployments\/(\d+)\/statuses$/.exec(rest)) && method === 'POST') {
      if (grant.deployments !== 'write') return noAccess('deployments=write')
      const deployment = this.deployments.find(d => d.id === Number(m?.[1]))
      if (!deployment) return notFound()
      if (typeof body.state !== 'string' || !DEPLOYMENT_STATES.includes(body.state))
        return unprocessable('state')
      const status = {
        state: body.state,
        environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
        log_url: typeof body.log_url === 'string' ? body.log_url : ''
      }
      deployment.statuses.push(status)
      if (status.state === 'success' && body.auto_inactive !== false) this.autoInactive(deployment)
      return new HttpAnswer(201, { id: this.nextId++, ...status })
    }
    return notFound()
  }

  /**
   * GitHub's `auto_inactive` (on unless a status says false): a success makes every prior deployment to the
   * same environment that succeeded, is not transient and not production, inactive.
   */
  private autoInactive(latest: StoredDeployment): void {
    for (const d of this.deployments) {
      if (d.id >= latest.id || d.environment !== latest.environment || d.transient_environment) continue
      if (d.environment === 'production' || !d.statuses.some(s => s.state === 'success')) continue
      if (d.statuses.at(-1)?.state === 'inactive') continue
      d.statuses.push({ state: 'inactive', environment_url: '', log_url: '' })
    }
  }

  /** Newest first, as GitHub lists them. */
  private deploymentsAnswer(
    method: string,
    query: URLSearchParams,
    grant: TokenGrant,
    body: Record<string, unknown>
  ): HttpAnswer {
    if (method === 'GET') {
      if (grant.deployments === 'none') return noAccess('deployments=read')
      const environment = query.get('environment')
      const perPage = Math.min(Number(query.get('per_page') ?? 30), 100)
      const found = [...this.deployments].reverse().filter(d => !environment || d.environment === environment)
      return new HttpAnswer(200, found.slice(0, perPage))
    }
    if (method !== 'POST') return notFound()
    if (grant.deployments !== 'write') return noAccess('deployments=write')
    if (typeof body.ref !== 'string') return unprocessable('ref')
    const deployment: StoredDeployment = {
      id: this.nextId++,
      ref: body.ref,
      environment: typeof body.environment === 'string' ? body.environment : 'production',
      description: typeof body.description === 'string' ? body.description : null,
      payload: body.payload ?? {},
      transient_environment: body.transient_environment === true,
      creator: grant.account,
      statuses: []
    }
    this.deployments.push(deployment)
    return new HttpAnswer(201, deployment)
  }

  /** Oldest first, `per_page` (default 30, at most 100) a page, with GitHub's `Link` header. */
  private listComments(issue: number, rest: string, query: URLSearchParams): HttpAnswer {
    const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 30), 1), 100)
    const page = Math.max(Number(query.get('page') ?? 1), 1)
    const all = this.commentsOn(issue)
    const last = Math.max(Math.ceil(all.length / perPage), 1)
    const link = (p: number, rel: string): string =>
      `<${this.url}/repos/${this.owner}/${this.repo}${rest}?per_page=${perPage}&page=${p}>; rel="${rel}"`
    const links = [
      ...(page > 1 ? [link(page - 1, 'prev')] : []),
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first')] : [])
    ]
    return new HttpAnswer(
      200,
      all.slice((page - 1) * perPage, page * perPage),
      links.length ? { link: links.join(', ') } : {}
    )
  }
}

function unprocessable(field: string): HttpAnswer {
  return new HttpAnswer(422, {
    message: 'Validation Failed',
    errors: [{ resource: 'Issue', code: 'missing_field', field }],
    documentation_url: DOCS,
    status: '422'
  })
}
