/**
 * What exists of the authorizer: the API's authorizers (one read beside the API's), and, only when the run
 * makes or changes the authorizer or its permission, whether the pools or the function the inputs name are
 * there (so a no-op run pays neither).
 */
import { all } from '../../base/concurrency.js'
import { Inputs } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import type { AwsContext } from '../../aws/context.js'
import type { CreateConfig } from '../../config/inputs.js'
import type { AuthorizerState } from '../../model/model.js'
import { quoted } from '../../report/safe-text.js'
import * as authorizers from './aws.js'
import * as restApi from '../../aws/rest-api.js'
import type { CreateDiscovery } from '../../core/plan.js'
import { accountOf, type AuthorizerPart } from './plan.js'
import { authorizerPartOf } from './plan-feature.js'

/** The authorizers of the API there is; none for a new one. */
export async function discoverAuthorizers(
  ctx: AwsContext,
  apiId: string | undefined
): Promise<AuthorizerState[] | undefined> {
  return apiId ? authorizers.getAuthorizers(ctx, apiId) : undefined
}

/**
 * What the run found, once the pools or the function the inputs name are found there where the run makes or
 * changes the authorizer; refuses, naming the input, one that is not: before the run writes anything.
 */
export async function checkedAuthorizerInputs(
  ctx: AwsContext,
  config: CreateConfig,
  found: CreateDiscovery
): Promise<CreateDiscovery> {
  const part = authorizerPartOf(config, found)
  await checkAuthorizerInputs(ctx, config, part, accountOf(found.loadBalancer.arn))
  // removals planned: which deployments the API's other stages serve (a no-op run reads none of it)
  const apiId = found.api?.summary.id
  if (!apiId || part.after.length === 0) return found
  return { ...found, otherStages: await otherStagesOf(ctx, apiId, config.stage) }
}

/** The API's stages but `stage`, each with the labels of the deployments it (and its canary) serves. */
async function otherStagesOf(
  ctx: AwsContext,
  apiId: string,
  stage: string
): Promise<{ stage: string; labels: (string | undefined)[] }[]> {
  const others = (await restApi.getStages(ctx, apiId)).filter(s => s.name !== stage)
  return all(
    others.map(async s => {
      const ids = [s.deploymentId, s.canary?.deploymentId].filter((id): id is string => Boolean(id))
      const labels = await all(ids.map(id => restApi.getDeploymentDescription(ctx, apiId, id)))
      return { stage: s.name, labels }
    })
  )
}

async function checkAuthorizerInputs(
  ctx: AwsContext,
  config: CreateConfig,
  part: AuthorizerPart,
  /** The API's account (the load balancer's), where known. */
  account: string | undefined
): Promise<void> {
  const want = config.authorizer
  if (!want || part.before.length === 0) return
  if (want.kind === 'lambda') {
    if (!(await authorizers.functionExists(ctx, want.functionArn))) {
      throw new InputError(
        Inputs.AuthorizerLambdaArn,
        `${quoted(want.functionArn)}: no such Lambda function in ${config.region} (GetFunction found none)`
      )
    }
    return
  }
  // a Cognito authorizer is only ever made, never changed: its pools are read when it is
  if (!part.before.some(s => s.op === 'create-authorizer')) return
  // a pool of another account: AWS takes it, but this account's DescribeUserPool cannot see it
  const elsewhere = want.userPoolArns.filter(arn => account && accountOf(arn) !== account)
  for (const arn of elsewhere) {
    ctx.log.notice(
      `User pool ${quoted(arn)} is of another account than the API's (${account}): not checked (DescribeUserPool ` +
        "sees this account's pools only); API Gateway takes it as given"
    )
  }
  const checked = want.userPoolArns.filter(arn => !elsewhere.includes(arn))
  const found = await all(checked.map(arn => authorizers.userPoolExists(ctx, arn)))
  const missing = checked.find((_, i) => !found[i])
  if (missing !== undefined) {
    throw new InputError(
      Inputs.CognitoUserPoolArns,
      `${quoted(missing)}: no such Cognito user pool in ${config.region} (DescribeUserPool found none)`
    )
  }
}
