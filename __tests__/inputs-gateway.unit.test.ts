// The gateway's own inputs (config/inputs.ts), read as the runner passes them: each good value and what it
// reads as, each bad one refused with an error that names the input and says what is wrong, the defaults,
// the case each input takes, the limits at their exact edge. Expected values are written out from the SPEC.
import { describe, expect, it } from '@jest/globals'
import { ActionError, InputError } from '../src/base/errors.js'
import { defaultVpcLinkName, type CreateConfig, type DeleteConfig } from '../src/config/inputs.js'
import { configFrom } from './support/inputs.js'

const NLB = 'a9eaf69fd125947abb1065f62de59047-81cdebc0275f7d96.elb.us-west-2.amazonaws.com'
const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
const ENV = { AWS_REGION: 'us-west-2' }

const create = (inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  configFrom({ 'load-balancer': NLB, ...inputs }, env) as CreateConfig
const del = (inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = ENV) =>
  configFrom({ mode: 'delete', ...inputs }, env) as DeleteConfig

/** The error a parse throws: its input and its whole message. */
function refusal(fn: () => unknown): { input: string; message: string } {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return { input: error.input, message: error.message }
    throw error
  }
  throw new Error('expected an InputError')
}

describe('mode', () => {
  it.each([
    ['', 'create'],
    ['create', 'create'],
    ['Delete', 'delete'],
    [' DELETE ', 'delete']
  ])('%j reads as %s', (mode, want) => {
    expect(configFrom({ mode, 'load-balancer': NLB }, ENV).mode).toBe(want)
  })

  it('refuses another, naming both it takes', () => {
    expect(refusal(() => create({ mode: 'remove' }))).toEqual({
      input: 'mode',
      message: `Input 'mode': "remove" is not one of 'create', 'delete'`
    })
  })
})

describe('what a create is for: load-balancer or cluster-name', () => {
  it('needs one of them, saying how to give it', () => {
    expect(refusal(() => configFrom({}, ENV))).toEqual({
      input: 'load-balancer',
      message:
        "Input 'load-balancer': is required when mode is 'create', unless 'cluster-name' is given: pass the " +
        "API load balancer's DNS name (as `cortex cluster info` prints it) or its ARN, or the Cortex cluster's " +
        'name as cluster-name'
    })
  })

  it('refuses both, naming cluster-name', () => {
    expect(refusal(() => create({ 'cluster-name': 'prod' }, ENV))).toEqual({
      input: 'cluster-name',
      message:
        "Input 'cluster-name': give either 'cluster-name' or 'load-balancer', not both: the cluster's name finds " +
        'its API load balancer'
    })
  })

  it('takes a cluster name alone, as the cluster to find', () => {
    const c = configFrom({ 'cluster-name': 'prod-eu-2' }, ENV) as CreateConfig
    expect(c.mode).toBe('create')
    expect(c.loadBalancer).toEqual({ kind: 'cluster', clusterName: 'prod-eu-2', raw: 'prod-eu-2' })
    expect(c.clusterName).toBe('prod-eu-2')
  })

  it.each(['abc', 'a'.repeat(54), 'a1-b2-c3', '123'])('takes the cluster name %j', name => {
    expect(configFrom({ 'cluster-name': name }, ENV)).toMatchObject({ clusterName: name })
  })

  it.each(['ab', 'a'.repeat(55), 'Prod', 'pr--od', '-prod', 'prod-', 'pr_od', 'pr od'])(
    'refuses the cluster name %j, saying what one is',
    name => {
      expect(refusal(() => configFrom({ 'cluster-name': name }, ENV))).toEqual({
        input: 'cluster-name',
        message:
          "Input 'cluster-name': must be a Cortex cluster name: 3 to 54 lower-case letters and digits, words " +
          'joined by single hyphens'
      })
    }
  )

  it('a delete needs neither, and keeps the one given', () => {
    expect(del().loadBalancer).toBeUndefined()
    expect(del({ 'load-balancer': NLB }).loadBalancer).toEqual({
      kind: 'dns',
      dnsName: NLB,
      raw: NLB,
      region: 'us-west-2'
    })
    expect(del({ 'cluster-name': 'prod' })).toMatchObject({
      mode: 'delete',
      apiName: 'cortex-prod',
      clusterName: 'prod',
      loadBalancer: { kind: 'cluster', clusterName: 'prod', raw: 'prod' }
    })
  })
})

describe('every input is checked for invisible and control characters first, read or not', () => {
  it.each([
    ['api-name', 'prod\u202e', 'U+202E'],
    ['tags', 'a=b\u200b', 'U+200B'],
    ['github-token', 'x\u0007', 'U+0007'],
    ['deployment-environment', 'x\u0085', 'U+0085'],
    ['scheme', '\u2028', 'U+2028']
  ])('%s holding %j is refused, naming the character', (name, value, code) => {
    expect(refusal(() => del({ [name]: value }))).toEqual({
      input: name,
      message:
        `Input '${name}': must not hold ${code}, an invisible format or control character (it can hide or ` +
        'reorder the text around it): remove it'
    })
  })

  it('lets a tab and the line breaks through where an input has lines', () => {
    expect(create({ tags: 'a=1\r\n\tb=2\n' }).tags).toEqual({ a: '1', b: '2' })
  })
})

describe('what a delete reads', () => {
  it('deletes the whole gateway without a stage, one stage with it', () => {
    expect(del()).toEqual({
      mode: 'delete',
      dryRun: false,
      owner: 'local',
      apiName: 'cortex',
      region: 'us-west-2',
      regionSource: 'AWS_REGION',
      stage: undefined,
      timeoutSeconds: 900,
      clusterName: undefined,
      loadBalancer: undefined
    })
    expect(del({ stage: ' prod ' }).stage).toBe('prod')
    expect(del({ 'dry-run': 'TRUE' }).dryRun).toBe(true)
  })
})

describe('api-name', () => {
  it('is cortex by default, cortex-<cluster> for a cluster, or as given (trimmed)', () => {
    expect(create().apiName).toBe('cortex')
    expect(configFrom({ 'cluster-name': 'prod' }, ENV)).toMatchObject({ apiName: 'cortex-prod' })
    expect(create({ 'api-name': '  my gw  ' }).apiName).toBe('my gw')
  })

  it('must fit whole in a tag of 256 characters, where a character other than the plain ones takes 3', () => {
    expect(create({ 'api-name': 'x'.repeat(256) }).apiName).toBe('x'.repeat(256))
    // '#' is written =23: 3 characters of the tag; a letter of any script is one
    expect(create({ 'api-name': `${'x'.repeat(253)}#` }).apiName).toBe(`${'x'.repeat(253)}#`)
    expect(create({ 'api-name': 'é'.repeat(256) }).apiName).toBe('é'.repeat(256))
    const tooLong =
      "Input 'api-name': is too long to be recorded whole in a tag (AWS allows 256 characters; characters " +
      'other than letters, digits, spaces and _ . : / + - @ take 3 or more each): use a shorter name'
    expect(refusal(() => create({ 'api-name': 'x'.repeat(257) }))).toEqual({
      input: 'api-name',
      message: tooLong
    })
    expect(refusal(() => create({ 'api-name': `${'x'.repeat(254)}#` }))).toEqual({
      input: 'api-name',
      message: tooLong
    })
  })

  it('is one line without a tab, and at most 1024 characters', () => {
    const oneLine =
      "Input 'api-name': must not hold control characters (a new line, a tab, an escape): give a name on one line"
    expect(refusal(() => create({ 'api-name': 'a\tb' })).message).toBe(oneLine)
    expect(refusal(() => create({ 'api-name': 'a\nb' })).message).toBe(oneLine)
    expect(refusal(() => create({ 'api-name': 'a'.repeat(1025) })).message).toBe(
      "Input 'api-name': must be at most 1024 characters"
    )
  })
})

describe('vpc-link-name', () => {
  it('is <api-name>-vpc-link by default, the API name cut to fit 255 characters (counted as characters)', () => {
    expect(create().vpcLinkName).toBe('cortex-vpc-link')
    expect(create({ 'vpc-link-name': ' my-link ' }).vpcLinkName).toBe('my-link')
    expect(defaultVpcLinkName('a'.repeat(246))).toBe(`${'a'.repeat(246)}-vpc-link`)
    expect(defaultVpcLinkName('a'.repeat(247))).toBe(`${'a'.repeat(246)}-vpc-link`)
    // a character outside the BMP is one character, not two
    expect(defaultVpcLinkName('𝒳'.repeat(250))).toBe(`${'𝒳'.repeat(246)}-vpc-link`)
  })

  it('takes 255 characters, counted as characters, and refuses 256', () => {
    expect(create({ 'vpc-link-name': '𝒳'.repeat(255) }).vpcLinkName).toBe('𝒳'.repeat(255))
    expect(refusal(() => create({ 'vpc-link-name': 'l'.repeat(256) }))).toEqual({
      input: 'vpc-link-name',
      message: "Input 'vpc-link-name': must be at most 255 characters"
    })
    expect(refusal(() => create({ 'vpc-link-name': 'a\tb' }))).toEqual({
      input: 'vpc-link-name',
      message:
        "Input 'vpc-link-name': must not hold control characters (a new line, a tab, an escape): give a name " +
        'on one line'
    })
  })
})

describe('the owner, from GITHUB_REPOSITORY', () => {
  it.each([
    [{}, 'local'],
    [{ GITHUB_REPOSITORY: '' }, 'local'],
    [{ GITHUB_REPOSITORY: '   ' }, 'local'],
    [{ GITHUB_REPOSITORY: 'octo-org/my.app_1' }, 'octo-org/my.app_1']
  ])('%j: %s', (env, owner) => {
    expect(create({}, env).owner).toBe(owner)
  })

  it('refuses a value that is not owner/name, quoting it', () => {
    const run = () => create({}, { GITHUB_REPOSITORY: 'octo/app/x' })
    expect(run).toThrow(ActionError)
    expect(run).toThrow(
      'GITHUB_REPOSITORY is "octo/app/x", not owner/name: whose gateways this run may change cannot be told'
    )
  })
})

describe('stage', () => {
  it.each([
    ['', 'dev'],
    ['  prod ', 'prod'],
    ['A_b-9', 'A_b-9'],
    ['s'.repeat(128), 's'.repeat(128)]
  ])('%j reads as %s', (stage, want) => {
    expect(create({ stage }).stage).toBe(want)
  })

  it.each(['s'.repeat(129), 'a.b', 'a b', 'dev/1'])('refuses %j, saying what a stage name holds', stage => {
    expect(refusal(() => create({ stage }))).toEqual({
      input: 'stage',
      message:
        `Input 'stage': "${stage}" is not a valid stage name: use letters, digits, '-' and '_' only, ` +
        'at most 128 characters'
    })
  })

  it('checks the stage a delete names', () => {
    expect(refusal(() => del({ stage: 'a b' })).input).toBe('stage')
  })
})

describe('timeout', () => {
  it.each([
    ['', 900],
    ['1', 1],
    [' 60 ', 60],
    ['007', 7],
    ['21600', 21600]
  ])('%j reads as %d seconds', (timeout, want) => {
    expect(create({ timeout }).timeoutSeconds).toBe(want)
  })

  it.each(['0', '21601', '99999'])('refuses %s, saying the bounds', timeout => {
    expect(refusal(() => create({ timeout }))).toEqual({
      input: 'timeout',
      message: `Input 'timeout': must be between 1 and 21600 seconds, got ${timeout}`
    })
  })

  it.each(['-1', '1.5', '10s', 'ten', '1 0'])('refuses %j as not a whole number', timeout => {
    expect(refusal(() => create({ timeout }))).toEqual({
      input: 'timeout',
      message: `Input 'timeout': "${timeout}" is not a whole number of seconds`
    })
  })

  it('is read by a delete too', () => {
    expect(del({ timeout: '30' }).timeoutSeconds).toBe(30)
    expect(refusal(() => del({ timeout: '0' })).input).toBe('timeout')
  })
})

describe('the choices: case as the SPEC says, and the error lists what is allowed', () => {
  it.each<[string, string, keyof CreateConfig, string]>([
    ['endpoint-type', 'regional', 'endpointType', 'REGIONAL'],
    ['endpoint-type', 'Edge', 'endpointType', 'EDGE'],
    ['scheme', 'Internet-Facing', 'scheme', 'internet-facing'],
    ['scheme', 'INTERNAL', 'scheme', 'internal'],
    ['scheme', 'auto', 'scheme', 'auto'],
    ['authorization', 'aws_iam', 'authorization', 'AWS_IAM'],
    ['authorization', 'none', 'authorization', 'NONE'],
    ['vpc-link-version', 'V1', 'vpcLinkVersion', 'v1'],
    ['vpc-link-version', 'v2', 'vpcLinkVersion', 'v2'],
    ['vpc-link-version', 'AUTO', 'vpcLinkVersion', 'auto']
  ])('%s %j reads as %s %s', (name, value, key, want) => {
    expect(create({ [name]: value })[key]).toBe(want)
  })

  it('has the SPEC defaults', () => {
    expect(create()).toMatchObject({
      endpointType: 'REGIONAL',
      scheme: 'auto',
      authorization: 'NONE',
      vpcLinkVersion: 'auto',
      cors: true,
      readyPath: '/',
      waitForReady: false,
      adopt: false,
      deleteOnExit: false,
      failOnCleanupError: false,
      dryRun: false
    })
  })

  it.each([
    ['endpoint-type', 'internal', `"INTERNAL" is not one of 'REGIONAL', 'EDGE', 'PRIVATE'`],
    ['scheme', 'Public', `"public" is not one of 'auto', 'internet-facing', 'internal'`],
    ['authorization', 'oauth', `"OAUTH" is not one of 'NONE', 'AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM'`],
    ['vpc-link-version', 'V3', `"v3" is not one of 'auto', 'v1', 'v2'`]
  ])('refuses %s %j: %s', (name, value, message) => {
    expect(refusal(() => create({ [name]: value }))).toEqual({
      input: name,
      message: `Input '${name}': ${message}`
    })
  })
})

describe('the booleans', () => {
  it.each<[string, keyof CreateConfig]>([
    ['dry-run', 'dryRun'],
    ['wait-for-ready', 'waitForReady'],
    ['adopt', 'adopt'],
    ['delete-on-exit', 'deleteOnExit'],
    ['fail-on-cleanup-error', 'failOnCleanupError']
  ])('%s is false by default, and takes true and false in any case', (name, key) => {
    expect(create()[key]).toBe(false)
    expect(create({ [name]: 'True' })[key]).toBe(true)
    expect(create({ [name]: ' false ' })[key]).toBe(false)
    expect(refusal(() => create({ [name]: 'yes' }))).toEqual({
      input: name,
      message: `Input '${name}': "yes" is not a boolean: use 'true' or 'false'`
    })
  })

  it('cors is true by default', () => {
    expect(create({ cors: '' }).cors).toBe(true)
    expect(create({ cors: 'FALSE' }).cors).toBe(false)
    expect(create({ cors: 'true' }).cors).toBe(true)
  })
})

describe('ready-path', () => {
  it.each([
    ['', '/'],
    ['/health', '/health'],
    [' /a?b=1 ', '/a?b=1'],
    ['/!~', '/!~']
  ])('%j reads as %s', (path, want) => {
    expect(create({ 'ready-path': path }).readyPath).toBe(want)
  })

  it.each(['health', '/a b', '/é', 'x/'])('refuses %j, saying what a path is', path => {
    expect(refusal(() => create({ 'ready-path': path }))).toEqual({
      input: 'ready-path',
      message: `Input 'ready-path': "${path}" must be a path starting with '/', without spaces`
    })
  })
})

describe('subnet-ids and security-group-ids', () => {
  it.each([
    ['subnet-ids', 'subnet-0123abcd', ['subnet-0123abcd']],
    ['subnet-ids', 'subnet-0123456789abcdef0', ['subnet-0123456789abcdef0']],
    [
      'subnet-ids',
      'subnet-0123abcd,\nsubnet-0123abce subnet-0123abcd',
      ['subnet-0123abcd', 'subnet-0123abce']
    ],
    ['security-group-ids', 'sg-0123abcd', ['sg-0123abcd']],
    ['security-group-ids', ' sg-0123456789abcdef0 ,sg-0123abcd', ['sg-0123456789abcdef0', 'sg-0123abcd']]
  ])('%s %j reads as %j', (name, value, want) => {
    const c = create({ [name]: value })
    expect(name === 'subnet-ids' ? c.subnetIds : c.securityGroupIds).toEqual(want)
  })

  it('are undefined when none is given', () => {
    expect(create({ 'subnet-ids': ' ,\n ' })).toMatchObject({
      subnetIds: undefined,
      securityGroupIds: undefined
    })
  })

  it.each([
    ['subnet-ids', 'subnet-0123abc'],
    ['subnet-ids', 'subnet-0123456789abcdef01'],
    ['subnet-ids', 'subnet-0123ABCD'],
    ['subnet-ids', 'xsubnet-0123abcd'],
    ['subnet-ids', 'subnet-0123abcdx'],
    ['security-group-ids', 'sg-0123abc'],
    ['security-group-ids', 'sg-0123456789abcdef01'],
    ['security-group-ids', 'subnet-0123abcd'],
    ['security-group-ids', 'xsg-0123abcd'],
    ['security-group-ids', 'sg-0123abcdx']
  ])('%s refuses %j, quoting it', (name, id) => {
    expect(refusal(() => create({ [name]: id })).message).toBe(`Input '${name}': "${id}" is not a valid id`)
  })
})

describe("room for the action's own tags", () => {
  const tags = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join('\n')
  const DOMAIN = { 'domain-name': 'api.example.com', 'certificate-arn': CERT }

  it.each<[string, Record<string, string>]>([
    ['resource-policy', { 'resource-policy': '{"Statement": {"Effect": "Allow"}}' }],
    ['allowed-source-ips', { 'allowed-source-ips': '10.0.0.0/8' }],
    ['vpc-endpoint-ids', { 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': 'vpce-0123456789abcdef0' }],
    ['binary-media-types', { 'binary-media-types': 'image/png' }]
  ])("%s takes one tag: 44 of the user's fit, 45 are refused", (_, inputs) => {
    expect(Object.keys(create({ ...inputs, tags: tags(44) }).tags)).toHaveLength(44)
    const { input, message } = refusal(() => create({ ...inputs, tags: tags(45) }))
    expect(input).toBe('tags')
    expect(message).toMatch(
      /^Input 'tags': at most 44 tags with '[a-z-]+' \(AWS allows 50, the action uses 6\)$/
    )
  })

  it('a custom domain takes two, three with disable-execute-api-endpoint (a settings tag)', () => {
    expect(Object.keys(create({ ...DOMAIN, tags: tags(43) }).tags)).toHaveLength(43)
    expect(refusal(() => create({ ...DOMAIN, tags: tags(44) })).message).toBe(
      "Input 'tags': at most 43 tags with 'domain-name' (AWS allows 50, the action uses 7)"
    )
    const off = { ...DOMAIN, 'disable-execute-api-endpoint': 'true' }
    expect(Object.keys(create({ ...off, tags: tags(42) }).tags)).toHaveLength(42)
    expect(refusal(() => create({ ...off, tags: tags(43) })).message).toBe(
      "Input 'tags': at most 42 tags with 'domain-name' (AWS allows 50, the action uses 8)"
    )
  })

  it("a cluster's tag is one more, with a domain too", () => {
    const cluster = { 'cluster-name': 'prod' }
    const c = configFrom({ ...cluster, tags: 'team=ml' }, ENV) as CreateConfig
    expect(c.tags).toEqual({ team: 'ml', 'cortex.dev/cluster-name': 'prod' })
    expect(
      Object.keys((configFrom({ ...cluster, ...DOMAIN, tags: tags(42) }, ENV) as CreateConfig).tags)
    ).toHaveLength(43)
    expect(refusal(() => configFrom({ ...cluster, ...DOMAIN, tags: tags(43) }, ENV)).message).toBe(
      "Input 'tags': at most 42 tags with 'domain-name' (AWS allows 50, the action uses 8)"
    )
  })
})

describe('the region of a create or a delete', () => {
  it('says where it came from', () => {
    expect(create({ region: 'us-west-2' }).regionSource).toBe("input 'region'")
    expect(create({}, { AWS_DEFAULT_REGION: 'us-west-2' }).regionSource).toBe('AWS_DEFAULT_REGION')
    expect(create().regionSource).toBe("the load balancer's DNS name")
  })
})
