/** The action front end: inputs from @actions/core, outputs set, every failure a setFailed. */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { fakeCore } from './support/fake-core.js'

const { core, inputs, state } = fakeCore()
const runEngine = jest.fn<(...args: unknown[]) => Promise<unknown>>()

jest.unstable_mockModule('@actions/core', () => core)
jest.unstable_mockModule('../src/engine/engine.js', () => ({ runEngine }))

const { run, runPost } = await import('../src/entry/main.js')

beforeEach(() => {
  for (const k of Object.keys(inputs)) delete inputs[k]
  for (const k of Object.keys(state)) delete state[k]
  jest.clearAllMocks()
})

describe('run', () => {
  it('sets every output the engine returns, plus result', async () => {
    Object.assign(inputs, { 'load-balancer': 'x-1.elb.us-west-2.amazonaws.com' })
    runEngine.mockResolvedValue({
      mode: 'create',
      dryRun: false,
      region: 'us-west-2',
      outcome: 'created',
      outputs: { 'invoke-url': 'https://a.execute-api.us-west-2.amazonaws.com/dev', 'api-id': 'a' },
      steps: ['create REST API "cortex"'],
      calls: []
    })
    await run()
    expect(core.setOutput).toHaveBeenCalledWith(
      'invoke-url',
      'https://a.execute-api.us-west-2.amazonaws.com/dev'
    )
    expect(core.setOutput).toHaveBeenCalledWith('api-id', 'a')
    expect(core.setOutput).toHaveBeenCalledWith('result', 'created')
    expect(core.setOutput).toHaveBeenCalledWith('plan', 'create REST API "cortex"')
    expect(core.setFailed).not.toHaveBeenCalled()
    // the post step will know it is one, and has nothing to clean up without delete-on-exit
    expect(state).toEqual({ isPost: 'true' })
  })

  it('saves what the post step deletes with delete-on-exit, before any AWS call', async () => {
    Object.assign(inputs, {
      'load-balancer': 'x-1.elb.us-west-2.amazonaws.com',
      'delete-on-exit': 'true',
      'api-name': 'pr-7'
    })
    runEngine.mockImplementation(() => {
      expect(JSON.parse(state.cleanup)).toMatchObject({ apiName: 'pr-7', region: 'us-west-2', stage: 'dev' })
      return Promise.reject(new Error('AWS said no'))
    })
    await run()
    expect(core.setFailed).toHaveBeenCalledWith('AWS said no')
  })

  it('fails with a message naming the input, without calling AWS', async () => {
    Object.assign(inputs, { 'load-balancer': 'x-1.elb.us-west-2.amazonaws.com', stage: 'no spaces allowed' })
    await run()
    expect(runEngine).not.toHaveBeenCalled()
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining("Input 'stage'"))
  })

  it("fails cleanly, not with a crash, when the runner's state file is missing", async () => {
    Object.assign(inputs, { 'load-balancer': 'x-1.elb.us-west-2.amazonaws.com' })
    core.saveState.mockImplementationOnce(() => {
      throw new Error('Missing file at path: /tmp/state')
    })
    await run()
    expect(core.setFailed).toHaveBeenCalledWith('Missing file at path: /tmp/state')
  })

  it('turns a non-Error throw into a failure too', async () => {
    Object.assign(inputs, { 'load-balancer': 'x-1.elb.us-west-2.amazonaws.com' })
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the point of the test
    runEngine.mockImplementation(() => Promise.reject({ weird: true }))
    await run()
    expect(core.setFailed).toHaveBeenCalledWith('Unexpected non-error thrown: {"weird":true}')
  })
})

describe('runPost', () => {
  it('does nothing without delete-on-exit', async () => {
    await runPost()
    expect(runEngine).not.toHaveBeenCalled()
  })

  it('deletes the saved gateway, and only warns when that fails', async () => {
    state.cleanup = JSON.stringify({
      apiName: 'pr-7',
      region: 'us-west-2',
      stage: 'dev',
      timeoutSeconds: 60,
      failOnCleanupError: false,
      created: { apiIds: ['a1'], vpcLinkIds: [] }
    })
    runEngine.mockImplementation(() => Promise.reject(new Error('throttled for good')))
    await runPost()
    expect(runEngine).toHaveBeenCalledWith(
      expect.objectContaining({
        config: expect.objectContaining({
          mode: 'delete',
          apiName: 'pr-7',
          only: { apiIds: ['a1'], vpcLinkIds: [] }
        })
      })
    )
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringContaining('delete-on-exit could not delete REST gateway "pr-7": throttled for good')
    )
  })

  it('fails the job when asked to', async () => {
    state.cleanup = JSON.stringify({
      apiName: 'pr-7',
      region: 'us-west-2',
      stage: 'dev',
      timeoutSeconds: 60,
      failOnCleanupError: true,
      created: { apiIds: ['a1'], vpcLinkIds: [] }
    })
    runEngine.mockImplementation(() => Promise.reject(new Error('nope')))
    await runPost()
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining('nope'))
  })
})
