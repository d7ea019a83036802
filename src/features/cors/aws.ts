/** API Gateway's gateway responses of an API (its own answers), mapped into the model. */
import {
  DeleteGatewayResponseCommand,
  GetGatewayResponsesCommand,
  PutGatewayResponseCommand,
  type GatewayResponseType
} from '@aws-sdk/client-api-gateway'
import { call, unlessNotFound } from '../../aws/call.js'
import type { AwsContext } from '../../aws/context.js'
import { allPages } from '../../aws/paging.js'
import type { GatewayResponseState } from '../../model/model.js'

/** The API's gateway responses (AWS lists its defaults too, `defaultResponse` true). */
export async function getGatewayResponses(
  ctx: AwsContext,
  restApiId: string
): Promise<GatewayResponseState[]> {
  return allPages(async position => {
    const out = await call(ctx, 'GetGatewayResponses', () =>
      ctx.apigw.send(new GetGatewayResponsesCommand({ restApiId, limit: 500, position }))
    )
    return {
      next: out.position,
      items: (out.items ?? []).map(r => ({
        responseType: r.responseType ?? '',
        defaultResponse: r.defaultResponse ?? false,
        responseParameters: r.responseParameters ?? {},
        responseTemplates: r.responseTemplates ?? {}
      }))
    }
  })
}

export async function putGatewayResponse(
  ctx: AwsContext,
  restApiId: string,
  response: Omit<GatewayResponseState, 'defaultResponse'>
): Promise<void> {
  await call(ctx, 'PutGatewayResponse', () =>
    ctx.apigw.send(
      new PutGatewayResponseCommand({
        restApiId,
        responseType: response.responseType as GatewayResponseType,
        responseParameters: response.responseParameters,
        responseTemplates: response.responseTemplates
      })
    )
  )
}

/** Resets a gateway response to AWS's default; one already reset is done. */
export async function deleteGatewayResponse(
  ctx: AwsContext,
  restApiId: string,
  responseType: string
): Promise<void> {
  await unlessNotFound(
    call(ctx, 'DeleteGatewayResponse', () =>
      ctx.apigw.send(
        new DeleteGatewayResponseCommand({ restApiId, responseType: responseType as GatewayResponseType })
      )
    )
  )
}
