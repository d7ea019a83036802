/** REST API and stage settings: patches, the account's CloudWatch role, a stage's web ACL. */
import {
  GetAccountCommand,
  UntagResourceCommand,
  UpdateRestApiCommand,
  UpdateStageCommand
} from '@aws-sdk/client-api-gateway'
import { WEB_ACL_INPUT } from './inputs.js'
import { InputError, isAwsError } from '../../base/errors.js'
import type { Patch } from '../../model/model.js'
import { call } from '../../aws/call.js'
import { backoffMs } from '../../aws/retry.js'
import type { AwsContext } from '../../aws/context.js'
import { restApiArn } from '../../aws/rest-api.js'

export async function updateRestApi(ctx: AwsContext, restApiId: string, patches: Patch[]): Promise<void> {
  await call(ctx, 'UpdateRestApi', () =>
    ctx.apigw.send(new UpdateRestApiCommand({ restApiId, patchOperations: patches }))
  )
}

export async function updateStage(
  ctx: AwsContext,
  restApiId: string,
  stageName: string,
  patches: Patch[]
): Promise<void> {
  await call(ctx, 'UpdateStage', () =>
    ctx.apigw.send(new UpdateStageCommand({ restApiId, stageName, patchOperations: patches }))
  )
}

export const stageArn = (region: string, restApiId: string, stageName: string): string =>
  `${restApiArn(region, restApiId)}/stages/${stageName}`

export async function untagStage(
  ctx: AwsContext,
  restApiId: string,
  stageName: string,
  keys: string[]
): Promise<void> {
  await call(ctx, 'UntagResource', () =>
    ctx.apigw.send(
      new UntagResourceCommand({ resourceArn: stageArn(ctx.region, restApiId, stageName), tagKeys: keys })
    )
  )
}

/** The account's CloudWatch Logs role for API Gateway in this region; '' when there is none. */
export async function cloudWatchRole(ctx: AwsContext): Promise<string> {
  const out = await call(ctx, 'GetAccount', () => ctx.apigw.send(new GetAccountCommand({})))
  return out.cloudwatchRoleArn ?? ''
}

/** What AWS WAF's "no such item" means here, said after its error. */
const WAF = {
  hints: {
    WAFNonexistentItemException:
      ` (AWS WAF knows no such web ACL or stage here: check '${WEB_ACL_INPUT}' and its account ` +
      'and region)'
  }
}

/** The web ACL associated with the stage, if any. */
export async function webAclOf(
  ctx: AwsContext,
  restApiId: string,
  stageName: string
): Promise<string | undefined> {
  const { client, waf } = await ctx.wafv2()
  try {
    const out = await call(
      ctx,
      'GetWebACLForResource',
      () =>
        client.send(
          new waf.GetWebACLForResourceCommand({ ResourceArn: stageArn(ctx.region, restApiId, stageName) })
        ),
      WAF
    )
    return out.WebACL?.ARN
  } catch (error) {
    // a stage not there yet has no web ACL
    if (isAwsError(error, 'WAFNonexistentItemException')) return undefined
    throw error
  }
}

/**
 * Fails, naming `web-acl-arn`, unless AWS WAF holds the web ACL the ARN names, in this account and
 * region: checked in discovery, so a gateway never goes live before its ACL turns out not to exist.
 * GetWebACL takes the name, scope and id, which the ARN holds
 * (`arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID`; its form and region were checked with the inputs).
 */
export async function requireWebAcl(ctx: AwsContext, webAclArn: string): Promise<void> {
  const [, name, id] = /:regional\/webacl\/([^/]+)\/([^/]+)$/.exec(webAclArn) ?? []
  if (!name || !id) {
    throw new InputError(WEB_ACL_INPUT, 'is not a regional AWS WAF web ACL ARN')
  }
  const { client, waf } = await ctx.wafv2()
  let found: string | undefined
  try {
    const out = await call(
      ctx,
      'GetWebACL',
      () => client.send(new waf.GetWebACLCommand({ Name: name, Scope: 'REGIONAL', Id: id })),
      WAF
    )
    found = out.WebACL?.ARN
  } catch (error) {
    if (!isAwsError(error, 'WAFNonexistentItemException')) throw error
  }
  if (found === undefined) {
    throw new InputError(
      WEB_ACL_INPUT,
      `AWS WAF knows no web ACL "${name}" with id ${id} in ${ctx.region} for these credentials' account ` +
        '(GetWebACL: WAFNonexistentItemException): check the ARN, or make the web ACL first'
    )
  }
  // GetWebACL looks in the caller's account: the same name and id elsewhere is not the one given
  if (found !== webAclArn) {
    throw new InputError(
      WEB_ACL_INPUT,
      `names a web ACL of another account: the one of this name and id here is ${found}; ` +
        "AWS WAF associates a stage only with a web ACL of the stage's own account"
    )
  }
}

export async function associateWebAcl(
  ctx: AwsContext,
  restApiId: string,
  stageName: string,
  webAclArn: string
): Promise<void> {
  const { client, waf } = await ctx.wafv2()
  // AWS WAF does not see a stage made moments ago at once: it answers WAFUnavailableEntityException,
  // "Retry your request". Given up on, the stage would serve without its ACL: retried until the deadline
  for (let attempt = 1; ; attempt++) {
    try {
      await call(
        ctx,
        'AssociateWebACL',
        () =>
          client.send(
            new waf.AssociateWebACLCommand({
              WebACLArn: webAclArn,
              ResourceArn: stageArn(ctx.region, restApiId, stageName)
            })
          ),
        WAF
      )
      return
    } catch (error) {
      const wait = backoffMs(attempt, ctx.random)
      if (!isAwsError(error, 'WAFUnavailableEntityException') || ctx.now() + wait >= ctx.deadline) throw error
      ctx.log.info(`AWS WAF does not see stage ${stageName} yet: associating its web ACL again`)
      await ctx.sleep(wait)
    }
  }
}

export async function disassociateWebAcl(
  ctx: AwsContext,
  restApiId: string,
  stageName: string
): Promise<void> {
  const { client, waf } = await ctx.wafv2()
  await call(
    ctx,
    'DisassociateWebACL',
    () =>
      client.send(
        new waf.DisassociateWebACLCommand({ ResourceArn: stageArn(ctx.region, restApiId, stageName) })
      ),
    WAF
  )
}
