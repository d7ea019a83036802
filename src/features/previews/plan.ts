/**
 * The previews, pure: the pull request comment's text and how ours is told from anyone else's, the
 * deployment's state, and whose a token is. No I/O: github.ts makes the calls, previews.ts decides when.
 */
import { ACTION_NAME, Outputs } from '../../base/constants.js'
import type { RunResult } from '../../report/run.js'
import { md, type Markup } from '../../report/safe-text.js'

/** What the comment tells: one gateway (its api-name and stage), and what the last run did with it. */
export interface CommentView {
  apiName: string
  stage: string
  /** A create's result; absent once the gateway is deleted. */
  result?: RunResult
  /** Who deleted it: a delete run or the delete-on-exit post step. */
  deletedBy?: 'delete' | 'delete-on-exit'
}

/**
 * The hidden first line of our comment for one gateway. The name is percent-encoded, so that no
 * api-name can close the HTML comment or pass for another gateway's marker.
 */
export function commentMarker(apiName: string, stage: string): string {
  return `<!-- ${ACTION_NAME}:preview api-name=${encodeURIComponent(apiName)} stage=${stage} -->`
}

/** A comment as GitHub lists it, what of it we read. */
export interface IssueComment {
  id: number
  body?: string | null
  user?: { login: string } | null
}

/**
 * Ours: it begins with the gateway's marker (a person quoting it writes `> ` first) and the token's
 * own account wrote it (GitHub logins are case-insensitive). A person's comment is never ours.
 */
export function isOurComment(comment: IssueComment, marker: string, login: string): boolean {
  const body = comment.body ?? ''
  const author = comment.user?.login ?? ''
  return (body === marker || body.startsWith(`${marker}\n`)) && author.toLowerCase() === login.toLowerCase()
}

/** The account a token writes as, when its kind says it; undefined: ask GitHub (`GET /user`). */
export function knownLogin(token: string): string | undefined {
  // a person's token (classic, fine-grained, OAuth, a GitHub App acting for a user) writes as that person
  if (/^(ghp_|github_pat_|gho_|ghu_)/.test(token)) return undefined
  // an installation token (ghs_), the workflow's own GITHUB_TOKEN among them, writes as the Actions bot
  return GITHUB_ACTIONS_BOT
}
export const GITHUB_ACTIONS_BOT = 'github-actions[bot]'

const DID: Record<RunResult['outcome'], string> = {
  created: 'created it',
  updated: 'updated it',
  unchanged: 'found nothing to change',
  deleted: 'deleted it',
  absent: 'found nothing to delete',
  'would-create': 'would create it (dry run)',
  'would-update': 'would update it (dry run)',
  'would-delete': 'would delete it (dry run)'
}

const link = (url: string): Markup => md`<a href="${url}">${url}</a>`
const steps = (n: number): string => (n === 1 ? '1 step' : `${n} steps`)

/** The comment's whole text. The same gateway, done the same way, gives the same text: no edit then. */
export function commentBody(view: CommentView): string {
  const head = md`### REST gateway <code>${view.apiName}</code>, stage <code>${view.stage}</code>`
  const marker = commentMarker(view.apiName, view.stage)
  if (view.deletedBy || !view.result) {
    const by = view.deletedBy === 'delete-on-exit' ? 'the delete-on-exit post step' : 'a delete run'
    return [marker, md`${head}: deleted`.text, '', md`Deleted by ${by}: its URLs answer no more.`.text].join(
      '\n'
    )
  }
  const o = view.result.outputs
  const rows: Markup[] = []
  const invoke = o[Outputs.InvokeUrl]
  const domain = o[Outputs.DomainUrl]
  if (invoke) rows.push(md`| Invoke URL | ${link(invoke)} |`)
  if (domain) rows.push(md`| Custom domain | ${link(domain)} |`)
  const canary = canaryPercent(view.result)
  if (canary) rows.push(md`| Canary | ${canary} % of requests |`)
  const n = view.result.steps.length
  rows.push(md`| Last run | ${DID[view.result.outcome]}${n ? ` (${steps(n)})` : ''} |`)
  return [marker, head.text, '', '| | |', '|---|---|', ...rows.map(r => r.text)].join('\n')
}

/**
 * The canary's share, where the run has a canary: the `canary-percent` output (the canaries' feature
 * sets it; empty or absent for none).
 */
export function canaryPercent(result: RunResult): string | undefined {
  const value = (result.outputs as Record<string, string | undefined>)['canary-percent']
  return value ? value : undefined
}

/** The URL a deployment points at: the custom domain's, else the invoke URL. */
export function environmentUrl(result: RunResult): string | undefined {
  return result.outputs[Outputs.DomainUrl] || result.outputs[Outputs.InvokeUrl] || undefined
}

/** What a deployment of ours carries, to be found again by a delete: the gateway it is for. */
export const deploymentPayload = (apiName: string, stage: string): Record<string, unknown> => ({
  [ACTION_NAME]: { apiName, stage }
})

/** A deployment as GitHub lists it, what of it we read. */
export interface Deployment {
  id: number
  payload?: unknown
}

/** Ours for this gateway: it carries the gateway's api-name and stage. */
export function isOurDeployment(deployment: Deployment, apiName: string, stage: string): boolean {
  const payload = deployment.payload
  if (typeof payload !== 'object' || payload === null) return false
  const ours = (payload as Record<string, unknown>)[ACTION_NAME] as Record<string, unknown> | undefined
  return ours?.apiName === apiName && ours.stage === stage
}
