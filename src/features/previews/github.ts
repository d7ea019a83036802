/**
 * GitHub's REST API for the previews, through @actions/github's octokit: the only module that calls
 * GitHub (the architecture test keeps it so). Every call is counted; a call GitHub refuses or does
 * not answer becomes a GitHubError, which the previews turn into one warning, never a failed run.
 */
import type { Deployment, IssueComment } from './plan.js'

/** What went wrong with a GitHub call: refused (401, 403, 404, 422) or unanswered (5xx, no connection). */
export class GitHubError extends Error {
  constructor(
    /** The HTTP status; undefined when GitHub did not answer at all. */
    readonly status: number | undefined,
    message: string
  ) {
    super(message)
    this.name = 'GitHubError'
  }
  /** GitHub answered no (a read-only token, a missing permission): retrying the same call will not help. */
  get refused(): boolean {
    return this.status !== undefined && this.status >= 400 && this.status < 500
  }
}

export interface Repo {
  owner: string
  repo: string
}

/** The calls the previews make. */
export interface GitHubApi {
  /** How many calls were made, reads and writes. */
  readonly calls: { reads: number; writes: number }
  /** The login of the token's account (`GET /user`). */
  login(): Promise<string>
  /** The first comment of an issue or pull request that `ours` accepts, reading page by page until found. */
  findComment(issue: number, ours: (c: IssueComment) => boolean): Promise<IssueComment | undefined>
  createComment(issue: number, body: string): Promise<IssueComment>
  updateComment(id: number, body: string): Promise<void>
  createDeployment(request: {
    ref: string
    environment: string
    description: string
    payload: Record<string, unknown>
  }): Promise<number>
  setDeploymentStatus(
    id: number,
    state: 'in_progress' | 'success' | 'failure' | 'inactive',
    urls: { environmentUrl?: string; logUrl?: string }
  ): Promise<void>
  /** The newest deployment to an environment that `ours` accepts (GitHub lists the newest first). */
  findDeployment(environment: string, ours: (d: Deployment) => boolean): Promise<Deployment | undefined>
}

/** A call may take this long; GitHub down costs the run no more. */
const CALL_TIMEOUT_MS = 10_000
const PER_PAGE = 100
/** Deployments read back by a delete: the newest first, a page is enough for one environment's recent ones. */
const DEPLOYMENT_PAGE = 30

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined
}

/** GitHub's own words on an error, or the connection's. */
function toGitHubError(error: unknown): GitHubError {
  const e = error as {
    status?: number
    message?: string
    response?: { status?: number; data?: { message?: unknown } }
  }
  const answered = e.response?.status !== undefined
  const said = typeof e.response?.data?.message === 'string' ? e.response.data.message : e.message
  const message = (said ?? String(error)).slice(0, 200)
  return new GitHubError(answered ? e.response?.status : undefined, message)
}

/** A client for the repository, on `apiUrl` (GITHUB_API_URL: GitHub Enterprise Server) when set. */
export async function gitHubApi(token: string, repo: Repo, apiUrl?: string): Promise<GitHubApi> {
  const { getOctokit } = await import(/* webpackMode: "eager" */ '@actions/github')
  const octokit = getOctokit(token, { ...(apiUrl ? { baseUrl: apiUrl } : {}), log: silent })
  const calls = { reads: 0, writes: 0 }
  octokit.hook.wrap('request', async (request, options) => {
    if (options.method === 'GET') calls.reads++
    else calls.writes++
    try {
      return await request({
        ...options,
        request: { ...options.request, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) }
      })
    } catch (error) {
      throw toGitHubError(error)
    }
  })
  return {
    calls,
    login: async () => (await octokit.rest.users.getAuthenticated()).data.login,
    findComment: async (issue, ours) => {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
        ...repo,
        issue_number: issue,
        per_page: PER_PAGE
      })
      for await (const page of pages) {
        const found = page.data.find(ours)
        if (found) return found
      }
      return undefined
    },
    createComment: async (issue, body) =>
      (await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body })).data,
    updateComment: async (id, body) => {
      await octokit.rest.issues.updateComment({ ...repo, comment_id: id, body })
    },
    createDeployment: async r => {
      const { data, status } = await octokit.rest.repos.createDeployment({
        ...repo,
        ref: r.ref,
        environment: r.environment,
        description: r.description,
        payload: r.payload,
        // a preview is not held back by the ref's checks, nor merged with the default branch
        required_contexts: [],
        auto_merge: false
      })
      // 202: GitHub merged the default branch in instead (auto_merge), which it is told not to do
      if (status !== 201 || !('id' in data)) throw new GitHubError(status, 'no deployment was made')
      return data.id
    },
    setDeploymentStatus: async (id, state, urls) => {
      await octokit.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: id,
        state,
        ...(urls.environmentUrl ? { environment_url: urls.environmentUrl } : {}),
        ...(urls.logUrl ? { log_url: urls.logUrl } : {})
      })
    },
    findDeployment: async (environment, ours) => {
      const { data } = await octokit.rest.repos.listDeployments({
        ...repo,
        environment,
        per_page: DEPLOYMENT_PAGE
      })
      return data.find(ours)
    }
  }
}
