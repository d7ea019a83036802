// Node's own errors (ECONNRESET and the like) come from the main realm, and jest runs tests in
// a VM context with Errors of its own, so `err instanceof Error` fails inside the AWS SDK and it
// flattens them to a bare message. Sharing the main realm's Error keeps their name and code, as
// they are when the action runs outside jest.
//
// The test lanes (jest.config.js): in the emulator lane, a jest worker starts one moto server, on the
// first test file that asks for it, and keeps it for every test file it runs after (each resets it);
// in the unit lane there is none: MOTO_SERVER names nothing, so that a test that reaches for moto
// fails, saying so.
import { TestEnvironment } from 'jest-environment-node'
import { resolveMotoServer } from '../../scripts/moto-server.mjs'
import { spawnMoto } from './moto-process.mjs'

export const NO_MOTO_IN_UNIT_LANE =
  '(none: the unit lane runs no emulator; a test that needs moto is named *.test.ts, not *.unit.test.ts)'

/** This worker's moto server (a module of the worker's own realm: one for all its test files). */
let workerMoto

export default class LaneEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context)
    this.global.Error = Error
    this.lane = config.projectConfig.testEnvironmentOptions?.lane ?? 'emulator'
    this.global.crgTestLane = this.lane
    this.global.crgWorkerMoto =
      this.lane === 'unit'
        ? () => Promise.reject(new Error(`no moto server in the unit lane ${NO_MOTO_IN_UNIT_LANE}`))
        : () =>
            (workerMoto ??= spawnMoto(resolveMotoServer()).catch(error => {
              workerMoto = undefined
              throw error
            }))
  }

  async setup() {
    await super.setup()
    if (this.lane !== 'unit') return
    // the worker's own environment, which child processes inherit too (a worker runs files of both lanes)
    this.savedMotoServer = process.env.MOTO_SERVER
    process.env.MOTO_SERVER = NO_MOTO_IN_UNIT_LANE
    this.global.process.env.MOTO_SERVER = NO_MOTO_IN_UNIT_LANE
  }

  async teardown() {
    if (this.lane === 'unit') {
      if (this.savedMotoServer === undefined) delete process.env.MOTO_SERVER
      else process.env.MOTO_SERVER = this.savedMotoServer
    }
    await super.teardown()
  }
}
