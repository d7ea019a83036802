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
import type { CreateDiscovery } from '../../core/plan.js'
import type { AuthorizerPart } from './plan.js'
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
  await checkAuthorizerInputs(ctx, config, authorizerPartOf(config, found))
  return found
}

async function checkAuthorizerInputs(
  ctx: AwsContext,
  config: CreateConfig,
  part: AuthorizerPart
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
  const found = await all(want.userPoolArns.map(arn => authorizers.userPoolExists(ctx, arn)))
  const missing = want.userPoolArns.find((_, i) => !found[i])
  if (missing !== undefined) {
    throw new InputError(
      Inputs.CognitoUserPoolArns,
      `${quoted(missing)}: no such Cognito user pool in ${config.region} (DescribeUserPool found none)`
    )
  }
}
