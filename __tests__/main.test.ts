/** The action front end: inputs from @actions/core, outputs set, every failure a setFailed. */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'

const inputs: Record<string, string> = {}
const core = {
  getInput: jest.fn((name: string) => inputs[name] ?? ''),
  setOutput: jest.fn(),
  setFailed: jest.fn(),
  info: jest.fn(),
  debug: jest.fn(),
  warning: jest.fn(),
  notice: jest.fn(),
  group: jest.fn(async (_name: string, fn: () => Promise<unknown>) => fn())
}
const runEngine = jest.fn<(...args: unknown[]) => Promise<unknown>>()

jest.unstable_mockModule('@actions/core', () => core)
jest.unstable_mockModule('../src/engine.js', () => ({ runEngine }))

const { run } = await import('../src/main.js')

beforeEach(() => {
  for (const k of Object.keys(inputs)) delete inputs[k]
  jest.clearAllMocks()
})

describe('run', () => {
  it('sets every output the engine returns, plus result', async () => {
    Object.assign(inputs, { 'load-balancer': 'x-1.elb.us-west-2.amazonaws.com' })
    runEngine.mockResolvedValue({
      outcome: 'created',
      outputs: { 'invoke-url': 'https://a.execute-api.us-west-2.amazonaws.com/dev', 'api-id': 'a' },
      steps: [],
      calls: []
    })
    await run()
    expect(core.setOutput).toHaveBeenCalledWith('invoke-url', 'https://a.execute-api.us-west-2.amazonaws.com/dev')
    expect(core.setOutput).toHaveBeenCalledWith('api-id', 'a')
    expect(core.setOutput).toHaveBeenCalledWith('result', 'created')
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('fails with a message naming the input, without calling AWS', async () => {
    Object.assign(inputs, { 'load-balancer': 'x-1.elb.us-west-2.amazonaws.com', stage: 'no spaces allowed' })
    await run()
    expect(runEngine).not.toHaveBeenCalled()
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining("Input 'stage'"))
  })

  it('turns a non-Error throw into a failure too', async () => {
    Object.assign(inputs, { 'load-balancer': 'x-1.elb.us-west-2.amazonaws.com' })
    runEngine.mockImplementation(() => Promise.reject({ weird: true }))
    await run()
    expect(core.setFailed).toHaveBeenCalledWith('Unexpected non-error thrown: {"weird":true}')
  })
})
