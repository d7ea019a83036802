/** What exists of CORS on the gateway's own answers: the API's gateway responses (one read beside the API). */
import type { AwsContext } from '../../aws/context.js'
import type { GatewayResponseState } from '../../model/model.js'
import * as cors from './aws.js'

/** The gateway responses of the API there is; none for a new one. */
export async function discoverGatewayResponses(
  ctx: AwsContext,
  apiId: string | undefined
): Promise<GatewayResponseState[] | undefined> {
  return apiId ? cors.getGatewayResponses(ctx, apiId) : undefined
}
