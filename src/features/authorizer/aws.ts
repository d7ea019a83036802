/**
 * An API's authorizers (API Gateway), the Lambda permission a Lambda authorizer needs (Lambda), and the
 * checks that what the inputs name exists (Lambda GetFunction, Cognito DescribeUserPool).
 */
import {
  CreateAuthorizerCommand,
  DeleteAuthorizerCommand,
  GetAuthorizersCommand,
  UpdateAuthorizerCommand,
  type Authorizer
} from '@aws-sdk/client-api-gateway'
import { isAwsError } from '../../base/errors.js'
import { call, unlessNotFound } from '../../aws/call.js'
import type { AwsContext } from '../../aws/context.js'
import { allPages } from '../../aws/paging.js'
import type { AuthorizerSpec, AuthorizerState, Patch } from '../../model/model.js'

function toState(a: Authorizer): AuthorizerState {
  return {
    id: a.id ?? '',
    name: a.name ?? '',
    type: a.type ?? '',
    providerArns: a.providerARNs ?? [],
    authorizerUri: a.authorizerUri,
    identitySource: a.identitySource,
    ttl: a.authorizerResultTtlInSeconds
  }
}

/** The API's authorizers, a person's too. */
export async function getAuthorizers(ctx: AwsContext, restApiId: string): Promise<AuthorizerState[]> {
  return allPages(async position => {
    const out = await call(ctx, 'GetAuthorizers', () =>
      ctx.apigw.send(new GetAuthorizersCommand({ restApiId, limit: 500, position }))
    )
    return { next: out.position, items: (out.items ?? []).map(toState) }
  })
}

/** Makes the authorizer; after a lost answer, takes the one of that name the lost attempt made. */
export async function createAuthorizer(
  ctx: AwsContext,
  restApiId: string,
  spec: AuthorizerSpec
): Promise<string> {
  const made = await call(
    ctx,
    'CreateAuthorizer',
    async () =>
      toState(
        await ctx.apigw.send(
          new CreateAuthorizerCommand({
            restApiId,
            name: spec.name,
            type: spec.type,
            providerARNs: spec.providerArns.length > 0 ? spec.providerArns : undefined,
            authorizerUri: spec.authorizerUri,
            identitySource: spec.identitySource,
            authorizerResultTtlInSeconds: spec.ttl
          })
        )
      ),
    { adopt: async () => (await getAuthorizers(ctx, restApiId)).find(a => a.name === spec.name) }
  )
  return made.id
}

export async function updateAuthorizer(
  ctx: AwsContext,
  restApiId: string,
  authorizerId: string,
  patches: Patch[]
): Promise<void> {
  await call(ctx, 'UpdateAuthorizer', () =>
    ctx.apigw.send(new UpdateAuthorizerCommand({ restApiId, authorizerId, patchOperations: patches }))
  )
}

/** Deletes the authorizer; one already gone is done. */
export async function deleteAuthorizer(
  ctx: AwsContext,
  restApiId: string,
  authorizerId: string
): Promise<void> {
  await unlessNotFound(
    call(ctx, 'DeleteAuthorizer', () =>
      ctx.apigw.send(new DeleteAuthorizerCommand({ restApiId, authorizerId }))
    )
  )
}

/**
 * Lets API Gateway invoke the function for what `sourceArn` names, under `statementId`. A statement of that
 * id is the action's (a run that stopped, or a move of the API): it is replaced, so it names this API.
 */
export async function addPermission(
  ctx: AwsContext,
  functionArn: string,
  statementId: string,
  sourceArn: string
): Promise<void> {
  const { client, lambda } = await ctx.lambda()
  const add = () =>
    call(ctx, 'AddPermission', () =>
      client.send(
        new lambda.AddPermissionCommand({
          FunctionName: functionArn,
          StatementId: statementId,
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
          SourceArn: sourceArn
        })
      )
    )
  try {
    await add()
  } catch (error) {
    if (!isAwsError(error, 'ResourceConflictException')) throw error
    await removePermission(ctx, functionArn, statementId)
    await add()
  }
}

/** Removes the statement of that id (the action's) from the function's policy; one gone already is done. */
export async function removePermission(
  ctx: AwsContext,
  functionArn: string,
  statementId: string
): Promise<void> {
  const { client, lambda } = await ctx.lambda()
  await unlessNotFound(
    call(ctx, 'RemovePermission', () =>
      client.send(new lambda.RemovePermissionCommand({ FunctionName: functionArn, StatementId: statementId }))
    ),
    'ResourceNotFoundException'
  )
}

/** Whether the Lambda function is there (read with the run's rights). */
export async function functionExists(ctx: AwsContext, functionArn: string): Promise<boolean> {
  const { client, lambda } = await ctx.lambda()
  const out = await unlessNotFound(
    call(ctx, 'GetFunction', () => client.send(new lambda.GetFunctionCommand({ FunctionName: functionArn }))),
    'ResourceNotFoundException'
  )
  return out !== undefined
}

/** Whether the Cognito user pool is there. */
export async function userPoolExists(ctx: AwsContext, userPoolArn: string): Promise<boolean> {
  const { client, cognito } = await ctx.cognito()
  const userPoolId = userPoolArn.split('/').pop() ?? ''
  const out = await unlessNotFound(
    call(ctx, 'DescribeUserPool', () =>
      client.send(new cognito.DescribeUserPoolCommand({ UserPoolId: userPoolId }))
    ),
    'ResourceNotFoundException'
  )
  return out !== undefined
}
