/**
 * The test proxy's part for authorizers and Lambda permissions, where moto answers otherwise than AWS:
 * - moto deletes an authorizer a method still uses; AWS refuses (409 ConflictException "Cannot delete
 *   authorizer '…', is referenced in method: GET//test"), and so does the proxy;
 * - moto takes an AddPermission whose statement id the function's policy already has (a second statement of
 *   that id); AWS refuses (409 ResourceConflictException "The statement id (…) provided already exists"),
 *   and so does the proxy.
 */
import type { IncomingMessage } from 'node:http'

interface Refusal {
  status: number
  code: string
  message: string
}

/** A GET of moto as the client (its authorization): the JSON answer, or undefined for an error. */
async function motoJson(target: string, req: IncomingMessage, path: string): Promise<unknown> {
  const res = await fetch(`${target}${path}`, {
    headers: { authorization: String(req.headers.authorization ?? '') }
  })
  const text = await res.text()
  return res.status < 400 && text ? (JSON.parse(text) as unknown) : undefined
}

/** The methods (`METHOD path`) of an API that use an authorizer. */
async function methodsUsing(target: string, req: IncomingMessage, apiId: string, authorizerId: string) {
  const out = (await motoJson(target, req, `/restapis/${apiId}/resources?embed=methods&limit=500`)) as
    { item?: { path?: string; resourceMethods?: Record<string, { authorizerId?: string }> }[] } | undefined
  return (out?.item ?? []).flatMap(r =>
    Object.entries(r.resourceMethods ?? {})
      .filter(([, m]) => m.authorizerId === authorizerId)
      .map(([name]) => `${name}/${r.path ?? ''}`)
  )
}

/** API Gateway: a DeleteAuthorizer AWS refuses, as AWS answers it. */
export async function authorizerAwsRefuses(
  target: string,
  req: IncomingMessage,
  method: string,
  path: string
): Promise<Refusal | undefined> {
  const m = /^\/restapis\/([^/]+)\/authorizers\/([^/?]+)\/?(?:\?|$)/.exec(path)
  if (method !== 'DELETE' || !m) return undefined
  const users = await methodsUsing(target, req, m[1], m[2])
  if (users.length === 0) return undefined
  return {
    status: 409,
    code: 'ConflictException',
    message: `Cannot delete authorizer '${m[2]}', is referenced in method: ${users.join(', ')}`
  }
}

/** Lambda: an AddPermission AWS refuses (a statement of that id is there), as AWS answers it. */
export async function permissionAwsRefuses(
  target: string,
  req: IncomingMessage,
  method: string,
  path: string,
  body: Buffer
): Promise<Refusal | undefined> {
  const m = /^\/2015-03-31\/functions\/([^/]+)\/policy\/?(?:\?|$)/.exec(path)
  if (method !== 'POST' || !m) return undefined
  const sid = (JSON.parse(body.toString() || '{}') as { StatementId?: string }).StatementId
  const out = (await motoJson(target, req, `/2015-03-31/functions/${m[1]}/policy`)) as
    { Policy?: string } | undefined
  const statements = (JSON.parse(out?.Policy ?? '{}') as { Statement?: { Sid?: string }[] }).Statement ?? []
  if (!statements.some(s => s.Sid === sid)) return undefined
  return {
    status: 409,
    code: 'ResourceConflictException',
    message:
      `The statement id (${sid}) provided already exists. Please provide a new statement id, ` +
      'or remove the existing statement.'
  }
}

/** A Lambda REST path as an operation: `POST /2015-03-31/functions/{fn}/policy`. */
export function lambdaOperation(method: string, path: string): string {
  const p = path
    .split('?')[0]
    .replace(/\/functions\/[^/]+/, '/functions/{fn}')
    .replace(/\/policy\/[^/]+/, '/policy/{sid}')
  return `${method} ${p}`
}
