/**
 * The previews around a run: a GitHub deployment `in_progress` before the AWS work, then the pull request
 * comment and the deployment's outcome after it, outside the AWS plan. GitHub saying no, or not answering,
 * never fails the run: each problem is kept, and the run ends with one warning naming the permission.
 */
import { readFileSync } from 'node:fs'
import type { Log } from '../../report/log.js'
import type { RunResult } from '../../report/run.js'
import { gitHubApi, GitHubError, type GitHubApi, type Repo } from './github.js'
import type { PreviewsConfig } from './inputs.js'
import {
  commentBody,
  commentMarker,
  deploymentPayload,
  environmentUrl,
  isOurComment,
  isOurDeployment,
  knownLogin,
  type CommentView
} from './plan.js'

/** Where the run is, as the runner says (read when a run needs it, not when a module loads). */
export interface GitHubRun {
  repo?: Repo
  /** The pull request the run is for; undefined outside one. */
  pullRequest?: number
  /** What a deployment deploys: a pull request's head commit, else the run's commit. */
  ref?: string
  /** The run's page, for the deployment's log link. */
  logUrl?: string
  /** GITHUB_API_URL (GitHub Enterprise Server); undefined: octokit's default. */
  apiUrl?: string
}

interface EventPayload {
  pull_request?: { number?: number; head?: { sha?: string } }
  issue?: { number?: number; pull_request?: unknown }
}

function readEvent(path: string | undefined): EventPayload {
  if (!path) return {}
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload
  } catch {
    return {}
  }
}

export function gitHubRun(env: NodeJS.ProcessEnv = process.env): GitHubRun {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const pullRequest =
    event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined)
  const server = env.GITHUB_SERVER_URL
  return {
    repo: owner && repo ? { owner, repo } : undefined,
    pullRequest,
    ref: event.pull_request?.head?.sha ?? env.GITHUB_SHA ?? env.GITHUB_REF,
    logUrl:
      server && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
    apiUrl: env.GITHUB_API_URL || undefined
  }
}

/** What the post step needs to mark the preview deleted, saved by the main step: never the token. */
export interface SavedPreviews {
  apiName: string
  stage: string
  commentId?: number
  deploymentId?: number
}

export interface PreviewsOptions {
  config: PreviewsConfig
  log: Log
  apiName: string
  stage: string
  dryRun: boolean
  run?: GitHubRun
}

type Part = 'comment' | 'deployment'
const PERMISSION: Record<Part, string> = { comment: 'pull-requests: write', deployment: 'deployments: write' }
const WHAT: Record<Part, string> = { comment: 'the pull request comment', deployment: 'the deployment' }

export class Previews {
  readonly run: GitHubRun
  commentId?: number
  deploymentId?: number
  private api?: Promise<GitHubApi>
  /** The client, once made. */
  private client?: GitHubApi
  private readonly problems = new Map<Part, GitHubError>()
  private down = false

  constructor(private readonly o: PreviewsOptions) {
    this.run = o.run ?? gitHubRun()
  }

  /** Before the AWS work of a create: the deployment, `in_progress`. */
  async start(): Promise<void> {
    const environment = this.o.config.environment
    if (!environment || this.o.dryRun || !this.run.ref) return
    const ref = this.run.ref
    await this.attempt('deployment', async api => {
      this.deploymentId = await api.createDeployment({
        ref,
        environment,
        description: `REST gateway ${this.o.apiName} (stage ${this.o.stage})`,
        payload: deploymentPayload(this.o.apiName, this.o.stage)
      })
      await api.setDeploymentStatus(this.deploymentId, 'in_progress', { logUrl: this.run.logUrl })
    })
  }

  /** After a create: the comment says what the run did; the deployment succeeded, at the gateway's URL. */
  async created(result: RunResult): Promise<void> {
    if (this.o.dryRun) return this.o.log.info('Dry run: no pull request comment, no deployment')
    await this.keepComment({ apiName: this.o.apiName, stage: this.o.stage, result }, true)
    await this.setDeployment('success', environmentUrl(result))
    this.warn('made')
  }

  /** After a create that failed: the deployment failed (the comment keeps its last good state). */
  async failed(): Promise<void> {
    if (this.o.dryRun) return
    await this.setDeployment('failure')
    this.warn('')
  }

  /** After a delete, or the post step's: the comment says the gateway was deleted; the deployment is inactive. */
  async deleted(by: 'delete' | 'delete-on-exit'): Promise<void> {
    if (this.o.dryRun) return this.o.log.info('Dry run: no pull request comment, no deployment')
    await this.keepComment({ apiName: this.o.apiName, stage: this.o.stage, deletedBy: by }, false)
    const environment = this.o.config.environment
    if (environment && this.deploymentId === undefined)
      await this.attempt('deployment', async api => {
        const found = await api.findDeployment(environment, d =>
          isOurDeployment(d, this.o.apiName, this.o.stage)
        )
        this.deploymentId = found?.id
      })
    await this.setDeployment('inactive')
    this.warn('deleted')
  }

  /** What the post step needs. */
  saved(): SavedPreviews {
    return {
      apiName: this.o.apiName,
      stage: this.o.stage,
      commentId: this.commentId,
      deploymentId: this.deploymentId
    }
  }

  /** Our comment for this gateway made or edited to the view's text; `make`: made where there is none. */
  private async keepComment(view: CommentView, make: boolean): Promise<void> {
    if (!this.o.config.comment) return
    const issue = this.run.pullRequest
    const known = this.commentId
    if (issue === undefined && known === undefined)
      return this.o.log.info('pull-request-comment: this run is for no pull request: no comment to keep')
    const body = commentBody(view)
    await this.attempt('comment', async api => {
      // the post step knows the comment the main step kept: one edit, no read
      if (known !== undefined) return this.edit(api, known, body)
      if (issue === undefined) return
      const login = knownLogin(this.o.config.token) ?? (await api.login())
      const marker = commentMarker(this.o.apiName, this.o.stage)
      const found = await api.findComment(issue, c => isOurComment(c, marker, login))
      if (found) {
        this.commentId = found.id
        if (found.body === body) return this.o.log.info(`Pull request comment ${found.id}: up to date`)
        await api.updateComment(found.id, body)
        return this.o.log.info(`Pull request comment ${found.id}: updated`)
      }
      if (!make) return
      this.commentId = (await api.createComment(issue, body)).id
      this.o.log.info(`Pull request comment ${this.commentId}: made on pull request #${issue}`)
    })
  }

  /** A comment we kept edited; one a person deleted since is left gone. */
  private async edit(api: GitHubApi, id: number, body: string): Promise<void> {
    try {
      await api.updateComment(id, body)
      this.o.log.info(`Pull request comment ${id}: updated`)
    } catch (error) {
      if (!(error instanceof GitHubError && error.status === 404)) throw error
      this.o.log.info(`Pull request comment ${id}: deleted by someone already, so left as it is`)
    }
  }

  private async setDeployment(
    state: 'success' | 'failure' | 'inactive',
    environmentUrl?: string
  ): Promise<void> {
    const id = this.deploymentId
    if (id === undefined || !this.o.config.environment) return
    await this.attempt('deployment', async api => {
      await api.setDeploymentStatus(id, state, { environmentUrl, logUrl: this.run.logUrl })
      this.o.log.info(`GitHub deployment ${id} to ${this.o.config.environment}: ${state}`)
    })
  }

  /** One part's calls; a refusal stops that part, GitHub not answering stops every call of the run. */
  private async attempt(part: Part, work: (api: GitHubApi) => Promise<void>): Promise<void> {
    if (this.down || this.problems.has(part) || !this.run.repo) return
    const repo = this.run.repo
    try {
      this.api ??= gitHubApi(this.o.config.token, repo, this.run.apiUrl)
      this.client = await this.api
      await work(this.client)
    } catch (error) {
      const e = error instanceof GitHubError ? error : new GitHubError(undefined, String(error))
      this.problems.set(part, e)
      if (!e.refused) this.down = true
    }
  }

  /** The calls the step made, in the log; then one warning for whatever GitHub refused or did not answer. */
  private warn(gateway: string): void {
    const c = this.client?.calls
    if (c) this.o.log.info(`GitHub: ${c.reads + c.writes} calls, ${c.writes} writes`)
    if (this.problems.size === 0) return
    const asked: Part[] = []
    if (this.o.config.comment) asked.push('comment')
    if (this.o.config.environment) asked.push('deployment')
    const needs = `the job's permissions need ${asked.map(p => `'${PERMISSION[p]}' for ${WHAT[p]}`).join(' and ')}`
    const down = [...this.problems.values()].find(e => !e.refused)
    const refused = [...this.problems].filter(([, e]) => e.refused)
    const text = down
      ? `GitHub did not answer (${down.message}): ${asked.map(p => WHAT[p]).join(' and ')} ` +
        `${asked.length > 1 ? 'are' : 'is'} not up to date (${needs}).`
      : `GitHub refused ${refused.map(([p, e]) => `${WHAT[p]} (${e.status} ${e.message})`).join(' and ')}: ` +
        (refused.some(([, e]) => e.status === 401)
          ? "check 'github-token'."
          : `grant the job ${refused.map(([p]) => `'${PERMISSION[p]}'`).join(' and ')} in its permissions ` +
            '(a pull request from a fork gets a read-only token, which no permission lifts).')
    this.o.log.warning(gateway ? `${text} The gateway is ${gateway} all the same: this run succeeds.` : text)
  }
}
