/**
 * Readiness: after a deployment, poll the invoke URL until the backend answers (any status
 * below 500), so a smoke test right after never flakes on propagation. With AWS_IAM the probe
 * is signed with SigV4 (service execute-api) using the run's own credentials.
 */
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { ActionError, errorMessage } from '../base/errors.js'
import type { AwsContext } from '../aws/context.js'
import { seconds } from '../aws/vpc-links.js'
import { withoutQuery } from '../report/safe-text.js'

export interface ProbeOptions {
  url: string
  /** Sign the probe (authorization AWS_IAM). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
  region: string
  fetch?: typeof fetch
}

/** Poll intervals: 1 s, then 2, 3 … up to 5 s. */
const probeDelayMs = (attempt: number): number => Math.min(5_000, 1_000 * (attempt + 1))

async function signedHeaders(url: URL, options: ProbeOptions): Promise<Record<string, string>> {
  if (!options.credentials) return {}
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Hash.bind(null, 'sha256')
  })
  const request = new HttpRequest({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host }
  })
  const signed = await signer.sign(request)
  return signed.headers
}

/** One probe: the HTTP status, or the network error's text. */
export async function probe(options: ProbeOptions): Promise<number | string> {
  const url = new URL(options.url)
  try {
    const headers = await signedHeaders(url, options)
    const res = await (options.fetch ?? fetch)(url, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000)
    })
    await res.body?.cancel()
    return res.status
  } catch (error) {
    return errorMessage(error)
  }
}

/** Polls until a status below 500; returns it. Bounded by the run's deadline. */
export async function waitForReady(ctx: AwsContext, options: ProbeOptions): Promise<number> {
  const started = ctx.now()
  // the ready-path's query may hold a token: probed, never logged
  const shown = withoutQuery(options.url)
  for (let attempt = 0; ; attempt++) {
    const got = await probe(options)
    if (typeof got === 'number' && got < 500) {
      ctx.log.info(`${shown} answered ${got} after ${seconds(ctx.now() - started)}`)
      return got
    }
    const delay = probeDelayMs(attempt)
    if (ctx.now() + delay > ctx.deadline) {
      throw new ActionError(
        `Timed out after ${seconds(ctx.now() - started)} waiting for ${shown} ` +
          `to answer (last: ${got}): ` +
          "check that the cluster's APIs are up, or raise the 'timeout' input"
      )
    }
    ctx.log.info(`Waiting for ${shown}: ${got} after ${seconds(ctx.now() - started)}`)
    await ctx.sleep(delay)
  }
}
