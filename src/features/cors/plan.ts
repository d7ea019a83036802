/**
 * Pure: CORS on API Gateway's own answers. A browser sees a CORS error instead of the gateway's 403 (no
 * API key), 429 (throttled) or 504 (timeout): those answers carry no CORS headers unless the API's
 * DEFAULT_4XX and DEFAULT_5XX gateway responses add them. With `cors` the action sets both, with a JSON
 * body (the message and the request id); without it, it resets the ones it set, and only those.
 *
 * Gateway responses carry no tags: the action's are those whose JSON template starts with its mark, a
 * mapping template comment (`##`, which the answer never shows). One a person customised (set, without the
 * mark) is left as it is.
 */
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_ALLOW_ORIGIN, Inputs } from '../../base/constants.js'
import type { GatewayResponseState } from '../../model/model.js'

export type CorsStep =
  | {
      op: 'put-gateway-response'
      responseType: string
      responseParameters: Record<string, string>
      responseTemplates: Record<string, string>
    }
  | { op: 'delete-gateway-response'; responseType: string }

/** The gateway's own answers the action adds CORS to: every 4xx and 5xx that has no response of its own. */
export const CORS_RESPONSE_TYPES = ['DEFAULT_4XX', 'DEFAULT_5XX'] as const

/** The first line of the JSON template of a gateway response the action set: its mark. */
export const GATEWAY_RESPONSE_MARK = "## cortex-rest-gateway: CORS on the gateway's own answers"

const JSON_TYPE = 'application/json'
const HEADER = 'gatewayresponse.header.'

/**
 * The response the action sets: the CORS headers the preflight allows, and a JSON body. Of several origins,
 * the caller's is named (a gateway response cannot check it against the list; it carries no credentials).
 */
export function corsResponse(
  origins: string[]
): Omit<GatewayResponseState, 'responseType' | 'defaultResponse'> {
  const several = origins.length > 1
  return {
    responseParameters: {
      [`${HEADER}Access-Control-Allow-Origin`]: several
        ? 'method.request.header.Origin'
        : `'${origins[0] ?? CORS_ALLOW_ORIGIN}'`,
      [`${HEADER}Access-Control-Allow-Headers`]: `'${CORS_ALLOW_HEADERS}'`,
      [`${HEADER}Access-Control-Allow-Methods`]: `'${CORS_ALLOW_METHODS}'`,
      ...(several ? { [`${HEADER}Vary`]: "'Origin'" } : {})
    },
    responseTemplates: {
      [JSON_TYPE]: `${GATEWAY_RESPONSE_MARK}\n{"message":$context.error.messageString,"requestId":"$context.requestId"}`
    }
  }
}

/** A gateway response the action set: its JSON template starts with the mark. */
export const isOurResponse = (r: GatewayResponseState | undefined): boolean =>
  Boolean(r?.responseTemplates[JSON_TYPE]?.startsWith(GATEWAY_RESPONSE_MARK))

const sameRecord = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v)

export interface CorsResponsesPart {
  steps: CorsStep[]
  notes: string[]
}

/**
 * The DEFAULT_4XX and DEFAULT_5XX responses: set where `cors` asks (unless a person's is there), reset where
 * the action set them and `cors` no longer asks. `found` is what the API has set (absent: a new API).
 */
export function planCorsResponses(
  want: { cors: boolean; origins: string[] },
  found: GatewayResponseState[] = []
): CorsResponsesPart {
  const steps: CorsStep[] = []
  const notes: string[] = []
  const wanted = corsResponse(want.origins)
  for (const responseType of CORS_RESPONSE_TYPES) {
    const have = found.find(r => r.responseType === responseType)
    const ours = isOurResponse(have)
    if (!want.cors) {
      if (ours) steps.push({ op: 'delete-gateway-response', responseType })
      continue
    }
    if (have && !have.defaultResponse && !ours) {
      notes.push(
        `The ${responseType} gateway response was set by a person: left as it is, without the CORS headers ` +
          `'${Inputs.Cors}' would add`
      )
      continue
    }
    const same =
      ours &&
      sameRecord(have!.responseParameters, wanted.responseParameters) &&
      sameRecord(have!.responseTemplates, wanted.responseTemplates)
    if (!same) steps.push({ op: 'put-gateway-response', responseType, ...wanted })
  }
  return { steps, notes }
}
