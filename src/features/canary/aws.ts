/** The canary's AWS calls: a stage's variables and canary (UpdateStage), a canary's deployment. */
import { CreateDeploymentCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway'
import { call } from '../../aws/call.js'
import type { AwsContext } from '../../aws/context.js'

/** A patch of a stage: API Gateway's JSON patch, `copy` included (a canary's promotion). */
export interface StagePatch {
  op: 'add' | 'remove' | 'replace' | 'copy'
  path: string
  value?: string
  from?: string
}

export async function patchStage(
  ctx: AwsContext,
  restApiId: string,
  stageName: string,
  patches: StagePatch[]
): Promise<void> {
  await call(ctx, 'UpdateStage', () =>
    ctx.apigw.send(new UpdateStageCommand({ restApiId, stageName, patchOperations: patches }))
  )
}

/**
 * A canary on an existing stage, as AWS makes one: a deployment of the API as it is, with canary settings,
 * which the stage's canary then serves (the stage keeps its deployment and variables).
 */
export async function createCanaryDeployment(
  ctx: AwsContext,
  restApiId: string,
  stageName: string,
  description: string,
  canary: { percent: number; overrides: Record<string, string> }
): Promise<string> {
  const out = await call(ctx, 'CreateDeployment', () =>
    ctx.apigw.send(
      new CreateDeploymentCommand({
        restApiId,
        stageName,
        description,
        canarySettings: { percentTraffic: canary.percent, stageVariableOverrides: canary.overrides }
      })
    )
  )
  return out.id ?? ''
}
