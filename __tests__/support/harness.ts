/**
 * The jest worker's moto server, reset to an empty account before the file starts, behind a recording proxy of
 * the file's own, started before and stopped after.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals'
import { createLoadBalancer, credentials, type SeededLoadBalancer } from './aws.js'
import { workerMoto, type Moto } from './moto.js'
import { startProxy, type MotoProxy } from './proxy.js'

export interface Harness {
  moto: Moto
  proxy: MotoProxy
  /**
   * An empty account again (no faults, latency or coarse clock in the proxy), with an internet-facing and an
   * internal NLB.
   */
  freshAccount(): Promise<{ publicLb: SeededLoadBalancer; internalLb: SeededLoadBalancer }>
}

/**
 * With `env`, this process's AWS variables point at the proxy while the file runs, so the engine
 * run in-process reaches moto through AWS_ENDPOINT_URL as a user's run reaches AWS.
 */
export function motoBehindProxy(opts: { env?: boolean } = {}): Harness {
  const harness = {
    freshAccount: async () => {
      Object.assign(harness.proxy.options, {
        fault: undefined,
        latencyMs: undefined,
        clockGranularitySeconds: undefined
      })
      await harness.moto.reset()
      const publicLb = await createLoadBalancer(harness.moto.endpoint, {
        name: 'cortex-public',
        scheme: 'internet-facing'
      })
      const internalLb = await createLoadBalancer(harness.moto.endpoint, {
        name: 'cortex-internal',
        scheme: 'internal'
      })
      harness.proxy.clear()
      return { publicLb, internalLb }
    }
  } as Harness
  const saved = { ...process.env }
  beforeAll(async () => {
    harness.moto = await workerMoto()
    // what the worker's earlier test files left there goes
    await harness.moto.reset()
    harness.proxy = await startProxy(harness.moto.endpoint)
    // an empty account again: what the proxy kept of the old one goes too
    const reset = harness.moto.reset.bind(harness.moto)
    harness.moto.reset = async () => {
      await reset()
      harness.proxy.forget()
    }
    if (opts.env) {
      Object.assign(process.env, {
        AWS_ENDPOINT_URL: harness.proxy.endpoint,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey
      })
    }
  })
  // a failure of the proxy itself is a bug in the test, never an AWS answer to retry: it fails the test
  afterEach(() => {
    const errors = harness.proxy?.takeErrors() ?? []
    if (errors.length > 0)
      throw new Error(`the test proxy failed: ${errors.map(e => e.stack ?? e.message).join('\n')}`)
  })
  afterAll(async () => {
    // (and what failed in beforeAll, or after the last test)
    const late = harness.proxy?.takeErrors() ?? []
    if (opts.env) process.env = saved
    await harness.proxy?.stop()
    await harness.moto?.stop()
    if (late.length > 0)
      throw new Error(`the test proxy failed: ${late.map(e => e.stack ?? e.message).join('\n')}`)
  })
  return harness
}
