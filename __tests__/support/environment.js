// Node's own errors (ECONNRESET and the like) come from the main realm, and jest runs tests in
// a VM context with Errors of its own, so `err instanceof Error` fails inside the AWS SDK and it
// flattens them to a bare message. Sharing the main realm's Error keeps their name and code, as
// they are when the action runs outside jest.
import { TestEnvironment } from 'jest-environment-node'

export default class SharedErrorEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context)
    this.global.Error = Error
  }
}
