/**
 * The previews' inputs: the pull request comment and the GitHub deployment, their rows of the inputs
 * table, read and checked before any AWS call. They are the action's alone (the command line has no
 * pull request to comment on), and both modes read them: a delete marks the comment and the deployment.
 */
import { InputError } from '../../base/errors.js'
import { parseBoolean, type InputRow } from '../../config/input-row.js'
import { hasControl } from '../../report/safe-text.js'

export const PreviewInputs = {
  GithubToken: 'github-token',
  PullRequestComment: 'pull-request-comment',
  DeploymentEnvironment: 'deployment-environment'
} as const

/** What action.yml writes as the token's default: the workflow's own token. */
export const DEFAULT_GITHUB_TOKEN = '${{ github.token }}'

export const PREVIEWS_INPUTS: InputRow[] = [
  {
    name: PreviewInputs.GithubToken,
    type: 'string',
    default: DEFAULT_GITHUB_TOKEN,
    description: "the token for GitHub's API (comments, deployments)",
    flag: false,
    modes: 'both'
  },
  {
    name: PreviewInputs.PullRequestComment,
    type: 'boolean',
    default: false,
    description: 'keep one comment per gateway on the pull request, updated in place',
    flag: false,
    modes: 'both'
  },
  {
    name: PreviewInputs.DeploymentEnvironment,
    type: 'string',
    description: "record a GitHub deployment to this environment, with the gateway's URL",
    flag: false,
    modes: 'both'
  }
]

export interface PreviewsConfig {
  /** Never logged, never an output: masked by the entry point before anything can print it. */
  token: string
  comment: boolean
  /** The environment a deployment is recorded to; undefined for none. */
  environment?: string
}

/** GitHub's limit on an environment's name. */
const MAX_ENVIRONMENT = 255

/** The previews asked for; undefined when neither is, so that a run without them never loads GitHub's client. */
export function parsePreviews(read: (name: string) => string): PreviewsConfig | undefined {
  const comment = parseBoolean(
    PreviewInputs.PullRequestComment,
    read(PreviewInputs.PullRequestComment).trim(),
    false
  )
  const environment = read(PreviewInputs.DeploymentEnvironment).trim()
  if (environment.length > MAX_ENVIRONMENT || hasControl(environment))
    throw new InputError(
      PreviewInputs.DeploymentEnvironment,
      `is not an environment name: one line, at most ${MAX_ENVIRONMENT} characters`
    )
  if (!comment && environment === '') return undefined
  const token = read(PreviewInputs.GithubToken).trim()
  if (token === '')
    throw new InputError(
      PreviewInputs.GithubToken,
      `is empty: '${comment ? PreviewInputs.PullRequestComment : PreviewInputs.DeploymentEnvironment}' ` +
        "needs a token for GitHub's API (the default is the workflow's own, github.token)"
    )
  return { token, comment, environment: environment === '' ? undefined : environment }
}
