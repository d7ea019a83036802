/**
 * A stand-in for @actions/core, for tests that run the action's main and post steps in-process: inputs read
 * from `inputs`, the step's state kept in `state`, outputs recorded in `outputs`, the log and the summary
 * mocks to assert on. Mock it before importing the entry: `jest.unstable_mockModule('@actions/core', () =>
 * fake.core)`.
 */
import { jest } from '@jest/globals'

export function fakeCore() {
  const inputs: Record<string, string> = {}
  const state: Record<string, string> = {}
  const outputs: Record<string, string> = {}
  const core = {
    getInput: jest.fn((name: string) => inputs[name] ?? ''),
    setOutput: jest.fn((name: string, value: string) => void (outputs[name] = value)),
    setFailed: jest.fn(),
    setSecret: jest.fn(),
    info: jest.fn(),
    debug: jest.fn(),
    warning: jest.fn(),
    notice: jest.fn(),
    group: jest.fn(async (_name: string, fn: () => Promise<unknown>) => fn()),
    saveState: jest.fn((name: string, value: string) => void (state[name] = value)),
    getState: jest.fn((name: string) => state[name] ?? ''),
    summary: { addRaw: jest.fn(() => core.summary), write: jest.fn(async () => core.summary) }
  }
  return { core, inputs, state, outputs }
}
