/** Seeding for authorizer tests: a Lambda function (never invoked) and a Cognito user pool, made straight in moto. */
import { crc32 } from 'node:zlib'
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda'
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { credentials, REGION } from './aws.js'

/** A zip of one stored file: enough for moto to take a function's code (it is never invoked). */
function zipOf(name: string, text: string): Uint8Array {
  const data = Buffer.from(text)
  const file = Buffer.from(name)
  const crc = crc32(data)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt32LE(crc, 14)
  local.writeUInt32LE(data.length, 18)
  local.writeUInt32LE(data.length, 22)
  local.writeUInt16LE(file.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt32LE(crc, 16)
  central.writeUInt32LE(data.length, 20)
  central.writeUInt32LE(data.length, 24)
  central.writeUInt16LE(file.length, 28)
  const offset = local.length + file.length + data.length
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + file.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([local, file, data, central, file, end])
}

/** A Lambda client straight to moto. */
export const lambdaAt = (endpoint: string) =>
  new LambdaClient({ endpoint, region: REGION, credentials, maxAttempts: 1 })

/** A Lambda function made straight in moto (with the role moto wants it to have); its ARN. */
export async function makeFunction(endpoint: string, name: string): Promise<string> {
  const iam = new IAMClient({ endpoint, region: REGION, credentials, maxAttempts: 1 })
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: `${name}-role`,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }
        ]
      })
    })
  )
  const out = await lambdaAt(endpoint).send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: role.Role!.Arn!,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf('index.js', 'exports.handler = async () => ({})') }
    })
  )
  return out.FunctionArn!
}

/** A Cognito user pool made straight in moto; its ARN. */
export async function makePool(endpoint: string, name: string): Promise<string> {
  const c = new CognitoIdentityProviderClient({ endpoint, region: REGION, credentials, maxAttempts: 1 })
  return (await c.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Arn!
}
