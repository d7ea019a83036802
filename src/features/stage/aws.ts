/** The AWS call of a one-stage delete that no other feature makes: DeleteStage. */
import { DeleteStageCommand } from '@aws-sdk/client-api-gateway'
import { call, unlessNotFound } from '../../aws/call.js'
import type { AwsContext } from '../../aws/context.js'

/** True when it was deleted, false when it was gone already (a re-run of a delete that stopped). */
export async function deleteStage(ctx: AwsContext, restApiId: string, stageName: string): Promise<boolean> {
  const done = await unlessNotFound(
    call(ctx, 'DeleteStage', () => ctx.apigw.send(new DeleteStageCommand({ restApiId, stageName })))
  )
  return done !== undefined
}
