/** The authorizer's steps: their text, and what they do in a create and (the permission) in a delete. */
import { unlessNotFound } from '../../aws/call.js'
import type { AwsContext } from '../../aws/context.js'
import { ActionError } from '../../base/errors.js'
import type { StepHandlers } from '../../engine/run.js'
import { changesText } from '../../report/words.js'
import * as authorizers from './aws.js'
import {
  functionOf,
  isOurAuthorizer,
  permissionSourceArn,
  permissionStatementId,
  type AuthorizerSpec,
  type AuthorizerStep
} from './plan.js'

function specText(a: AuthorizerSpec): string {
  return a.type === 'COGNITO_USER_POOLS'
    ? `Cognito user pools ${a.providerArns.join(', ')}`
    : `Lambda ${functionOf(a.authorizerUri) ?? ''} (${a.type}, ${a.identitySource}, TTL ${a.ttl ?? 0} s)`
}

export const authorizerSteps: StepHandlers<AuthorizerStep> = {
  'create-authorizer': {
    text: ({ authorizer }) => `create authorizer "${authorizer.name}": ${specText(authorizer)}`,
    create: async ({ ctx, built }, step) => {
      built.madeAuthorizer = await authorizers.createAuthorizer(ctx, built.api(), step.authorizer)
      ctx.log.info(`Created authorizer ${built.madeAuthorizer}`)
    }
  },
  'update-authorizer': {
    text: step => `update authorizer ${step.authorizerId} ("${step.name}"): ${changesText(step.changes)}`,
    create: ({ ctx, built }, step) =>
      authorizers.updateAuthorizer(ctx, built.api(), step.authorizerId, step.patches)
  },
  'delete-authorizer': {
    text: step => `delete authorizer ${step.authorizerId} ("${step.name}"), which the methods no longer use`,
    create: ({ ctx, built }, step) => authorizers.deleteAuthorizer(ctx, built.api(), step.authorizerId)
  },
  'add-lambda-permission': {
    text: step =>
      `let API Gateway invoke ${step.functionArn} for this API's authorizers ` +
      `(statement ${permissionStatementId(step.apiId ?? '<api-id>')})`,
    create: async ({ ctx, built }, step) => {
      const apiId = built.api()
      if (!step.account) {
        throw new ActionError(
          "The AWS account could not be told from the load balancer's ARN: the Lambda permission cannot name the API"
        )
      }
      await authorizers.addPermission(
        ctx,
        step.functionArn,
        permissionStatementId(apiId),
        permissionSourceArn(ctx.region, step.account, apiId)
      )
    }
  },
  'remove-lambda-permission': {
    text: step =>
      `remove statement ${permissionStatementId(step.apiId)} (API Gateway may invoke it) from ${step.functionArn}`,
    create: ({ ctx }, step) =>
      authorizers.removePermission(ctx, step.functionArn, permissionStatementId(step.apiId)),
    delete: ({ ctx }, step) =>
      authorizers.removePermission(ctx, step.functionArn, permissionStatementId(step.apiId))
  }
}

/**
 * Before a twin (a racing run's API) goes: its statement, from every function its authorizers of ours name
 * (read now: cleaning up twins is rare). Its API gone meanwhile leaves nothing to read.
 */
export async function removeStatementsOfTwin(ctx: AwsContext, apiId: string): Promise<void> {
  const found = (await unlessNotFound(authorizers.getAuthorizers(ctx, apiId))) ?? []
  const functions = new Set(found.filter(isOurAuthorizer).flatMap(a => functionOf(a.authorizerUri) ?? []))
  for (const fn of functions) {
    await authorizers.removePermission(ctx, fn, permissionStatementId(apiId))
    ctx.log.info(`Removed statement ${permissionStatementId(apiId)} from ${fn} before its API goes`)
  }
}
