/**
 * moto servers for the tests. `workerMoto`: the one this jest worker keeps for all its test files
 * (started by the test environment on first use; a test file resets it before it starts). `startMoto`:
 * one of a test's own (with settings of its own), stopped by the test. Neither exists in the unit lane.
 */
import { resolveMotoServer } from '../../scripts/moto-server.mjs'
import { spawnMoto } from './moto-process.mjs'

export { freePort } from './moto-process.mjs'

export interface Moto {
  endpoint: string
  /** moto server's process (its watchdog's, which outlives it by nothing), to see it gone after `stop`. */
  pid: number | undefined
  /** An empty account again. */
  reset(): Promise<void>
  /** Stops a moto of the test's own; the worker's keeps running for the next test file. */
  stop(): Promise<void>
}

const lane = globalThis as {
  crgTestLane?: string
  crgWorkerMoto?: () => Promise<{ endpoint: string; pid?: number }>
}

function notInUnitLane(): void {
  if (lane.crgTestLane === 'unit')
    throw new Error(
      'the unit lane runs no emulator: a test file that needs moto is named *.test.ts, not *.unit.test.ts'
    )
}

const resetOf = (endpoint: string) => async (): Promise<void> => {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
  await res.arrayBuffer()
}

export async function workerMoto(): Promise<Moto> {
  notInUnitLane()
  // run outside this repository's test environment: one of the file's own
  if (!lane.crgWorkerMoto) return startMoto()
  const { endpoint, pid } = await lane.crgWorkerMoto()
  return { endpoint, pid, reset: resetOf(endpoint), stop: async () => undefined }
}

export async function startMoto(env: Record<string, string> = {}): Promise<Moto> {
  notInUnitLane()
  // MOTO_SERVER, PATH, or the project's .venv/ (installed there on first use)
  const moto = await spawnMoto(resolveMotoServer(), env)
  return { endpoint: moto.endpoint, pid: moto.pid, reset: resetOf(moto.endpoint), stop: () => moto.stop() }
}
