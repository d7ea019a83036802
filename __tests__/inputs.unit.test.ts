import { describe, expect, it } from '@jest/globals'
import { Inputs } from '../src/base/constants.js'
import { InputError } from '../src/base/errors.js'
import { parseLoadBalancer, parseTags, type CreateConfig } from '../src/config/inputs.js'
import { configFrom } from './support/inputs.js'
import { INPUTS } from '../src/config/input-table.js'

const NLB = 'a9eaf69fd125947abb1065f62de59047-81cdebc0275f7d96.elb.us-west-2.amazonaws.com'
const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'

/** Inputs as the runner passes them: unset ones are ''. */
const createInputs = (inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  configFrom(inputs, env)

function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('parseConfig', () => {
  it('applies the defaults of the SPEC', () => {
    expect(createInputs({ 'load-balancer': NLB })).toEqual({
      mode: 'create',
      dryRun: false,
      owner: 'local',
      apiName: 'cortex',
      region: 'us-west-2',
      regionSource: "the load balancer's DNS name",
      stage: 'dev',
      timeoutSeconds: 900,
      loadBalancer: { kind: 'dns', dnsName: NLB, raw: NLB, region: 'us-west-2' },
      scheme: 'auto',
      endpointType: 'REGIONAL',
      authorization: 'NONE',
      cors: true,
      vpcLinkName: 'cortex-vpc-link',
      tags: {},
      waitForReady: false,
      readyPath: '/',
      vpcLinkVersion: 'auto',
      subnetIds: undefined,
      securityGroupIds: undefined,
      adopt: false,
      deleteOnExit: false,
      failOnCleanupError: false,
      clusterName: undefined,
      domain: undefined,
      settings: {
        throttle: undefined,
        apiKeys: [],
        apiKeyQuota: undefined,
        apiKeyThrottle: undefined,
        binaryMediaTypes: [],
        corsAllowOrigins: ['*'],
        disableExecuteApiEndpoint: false,
        responseStreaming: false,
        integrationTimeoutMs: 29000,
        accessLog: undefined,
        loggingLevel: 'OFF',
        metrics: false,
        tracing: false,
        resourcePolicy: undefined,
        allowedSourceIps: [],
        vpcEndpointIds: [],
        webAclArn: undefined
      }
    })
  })

  it('takes the region from the input, then AWS_REGION, then AWS_DEFAULT_REGION, then the DNS name', () => {
    // a load balancer whose name says no region (a CNAME of one, say)
    const lb = { 'load-balancer': 'api.cortex.internal' }
    expect(createInputs({ ...lb, region: 'eu-west-1' }, { AWS_REGION: 'us-east-1' }).region).toBe('eu-west-1')
    expect(createInputs(lb, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-2' }).region).toBe(
      'us-east-1'
    )
    expect(createInputs(lb, { AWS_DEFAULT_REGION: 'us-east-2' }).region).toBe('us-east-2')
    expect(createInputs({ 'load-balancer': NLB }).region).toBe('us-west-2')
    expect(createInputs({ 'load-balancer': NLB }, { AWS_REGION: 'us-west-2' }).region).toBe('us-west-2')
    expect(inputErrorOf(() => createInputs({ mode: 'delete' })).input).toBe('region')
  })

  it.each([
    ['DNS name', NLB],
    ['ARN', 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex/0123456789abcdef']
  ])(
    'refuses a region the load balancer (by %s) is not in, for either mode, saying where it is',
    (kind, lb) => {
      for (const mode of ['create', 'delete']) {
        const e = inputErrorOf(() => createInputs({ mode, 'load-balancer': lb }, { AWS_REGION: 'us-east-1' }))
        expect(e.input).toBe('region')
        expect(e.message).toContain(
          `the run is in us-east-1 (from AWS_REGION), but the load balancer's ${kind} says region us-west-2`
        )
        expect(
          inputErrorOf(() => createInputs({ mode, 'load-balancer': lb, region: 'eu-west-1' })).message
        ).toContain("from input 'region'")
      }
    }
  )

  it('is case-insensitive where the SPEC says so', () => {
    const c = createInputs({
      'load-balancer': NLB,
      'endpoint-type': 'edge',
      authorization: 'aws_iam',
      mode: 'CREATE',
      cors: 'False'
    }) as CreateConfig
    expect([c.endpointType, c.authorization, c.mode, c.cors]).toEqual(['EDGE', 'AWS_IAM', 'create', false])
  })

  it("reads in a delete only the inputs the table says both modes read: a create's are not looked at", () => {
    const createOnly = INPUTS.filter(r => r.modes === 'create').map(r => r.name)
    expect(createOnly).toEqual(
      expect.arrayContaining(['scheme', 'tags', 'tracing', 'web-acl-arn', 'domain-name'])
    )
    const wrong = Object.fromEntries(createOnly.map(name => [name, 'not a value of any input']))
    expect(createInputs({ mode: 'delete', ...wrong }, { AWS_REGION: 'us-west-2' })).toMatchObject({
      mode: 'delete'
    })
    // the same in a create: each is read, and refused
    for (const name of ['scheme', 'tracing', 'web-acl-arn', 'domain-name']) {
      expect(
        inputErrorOf(() => createInputs({ 'load-balancer': NLB, [name]: 'not a value of any input' })).input
      ).toBe(name)
    }
  })

  it('does not need a load balancer to delete', () => {
    expect(createInputs({ mode: 'delete' }, { AWS_REGION: 'us-west-2' })).toMatchObject({
      mode: 'delete',
      apiName: 'cortex'
    })
  })

  it.each([
    [{ mode: 'remove' }, 'mode'],
    [{ 'load-balancer': '' }, 'load-balancer'],
    [{ 'load-balancer': 'not a host name' }, 'load-balancer'],
    [{ 'load-balancer': 'arn:aws:ec2:us-west-2:123456789012:instance/i-1' }, 'load-balancer'],
    [{ scheme: 'public' }, 'scheme'],
    [{ stage: 'has space' }, 'stage'],
    [{ stage: 'x'.repeat(129) }, 'stage'],
    [{ stage: 'dev/1' }, 'stage'],
    [{ 'endpoint-type': 'PRIVATE' }, 'vpc-endpoint-ids'],
    [{ 'endpoint-type': 'INTERNAL' }, 'endpoint-type'],
    [{ throttle: '100' }, 'throttle'],
    [{ throttle: '0/10' }, 'throttle'],
    [{ 'api-key-quota': '100/day' }, 'api-key-quota'],
    [{ 'api-keys': 'a', 'api-key-quota': '100/year' }, 'api-key-quota'],
    [{ 'api-keys': 'a', 'api-key-throttle': 'fast' }, 'api-key-throttle'],
    [{ 'api-keys': 'bad/name' }, 'api-keys'],
    [{ 'binary-media-types': 'images' }, 'binary-media-types'],
    [
      { 'binary-media-types': Array.from({ length: 20 }, (_, i) => `application/x-type-${i}`).join(',') },
      'binary-media-types'
    ],
    [{ 'integration-timeout': '30' }, 'integration-timeout'],
    [{ 'integration-timeout': '30000', 'endpoint-type': 'EDGE' }, 'integration-timeout'],
    [{ 'integration-timeout': '1.5s' }, 'integration-timeout'],
    [{ 'access-log-destination': 'arn:aws:s3:::bucket' }, 'access-log-destination'],
    [
      { 'access-log-destination': 'arn:aws:logs:eu-west-1:123456789012:log-group:x' },
      'access-log-destination'
    ],
    [{ 'access-log-format': '$context.requestId' }, 'access-log-format'],
    [
      {
        'access-log-destination': 'arn:aws:logs:us-west-2:123456789012:log-group:x',
        'access-log-format': '$context.ip'
      },
      'access-log-format'
    ],
    [{ 'logging-level': 'DEBUG' }, 'logging-level'],
    [{ metrics: 'yes' }, 'metrics'],
    [{ tracing: 'on' }, 'tracing'],
    [{ 'resource-policy': '{"Statement": [' }, 'resource-policy'],
    [{ 'resource-policy': '{"Version": "2012-10-17"}' }, 'resource-policy'],
    [{ 'resource-policy': '{"Statement": ["Allow"]}' }, 'resource-policy'],
    [{ 'allowed-source-ips': '10.0.0.0/33' }, 'allowed-source-ips'],
    [{ 'allowed-source-ips': '300.1.1.1/8' }, 'allowed-source-ips'],
    [{ 'vpc-endpoint-ids': 'vpce-0123456789abcdef0' }, 'vpc-endpoint-ids'],
    [{ 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': 'vpc-0123' }, 'vpc-endpoint-ids'],
    [
      {
        'web-acl-arn':
          'arn:aws:wafv2:us-west-2:123456789012:global/webacl/x/0f0e0d0c-1111-2222-3333-444455556666'
      },
      'web-acl-arn'
    ],
    [
      {
        'web-acl-arn':
          'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/0f0e0d0c-1111-2222-3333-444455556666'
      },
      'web-acl-arn'
    ],
    [{ authorization: 'LAMBDA' }, 'authorization'],
    [{ cors: 'yes please' }, 'cors'],
    [{ timeout: '0' }, 'timeout'],
    [{ timeout: '-5' }, 'timeout'],
    [{ timeout: '1.5' }, 'timeout'],
    [{ timeout: '99999999' }, 'timeout'],
    [{ region: 'mars-1' }, 'region'],
    [{ tags: 'novalue' }, 'tags'],
    [{ tags: 'a=1\na=2' }, 'tags'],
    [{ tags: 'aws:thing=1' }, 'tags'],
    [{ tags: 'cortex-rest-gateway:managed-by=me' }, 'tags'],
    [{ tags: 'bad*key=1' }, 'tags'],
    [{ 'api-name': 'x'.repeat(1025) }, 'api-name'],
    // a name is one line of printable characters: the error says so, a tab included
    [{ 'api-name': 'cortex\tprod' }, 'api-name'],
    [{ 'vpc-link-name': 'link\tprod' }, 'vpc-link-name'],
    [{ 'dry-run': 'sure' }, 'dry-run'],
    [{ 'delete-on-exit': '1' }, 'delete-on-exit'],
    [{ 'fail-on-cleanup-error': 'no' }, 'fail-on-cleanup-error'],
    [{ 'wait-for-ready': 'yes' }, 'wait-for-ready'],
    [{ 'ready-path': 'health' }, 'ready-path'],
    [{ 'ready-path': '/a b' }, 'ready-path'],
    [{ 'vpc-link-version': 'v3' }, 'vpc-link-version'],
    [{ 'subnet-ids': 'subnet-1, vpc-123' }, 'subnet-ids'],
    [{ 'security-group-ids': 'sg-xyz' }, 'security-group-ids']
  ])('%j is refused, naming %s', (inputs, input) => {
    const error = inputErrorOf(() => createInputs({ 'load-balancer': NLB, ...inputs }))
    expect(error.input).toBe(input)
    expect(error.message).toContain(`Input '${input}'`)
  })
})

describe('values at the edge of what the SPEC allows are taken', () => {
  const long = (n: number) => 'x'.repeat(n)
  it.each<[Record<string, string>, Partial<CreateConfig>]>([
    [{ timeout: '1' }, { timeoutSeconds: 1 }],
    [{ timeout: '21600' }, { timeoutSeconds: 21600 }],
    [{ stage: long(128) }, { stage: long(128) }],
    [{ stage: 'Prod_2-b' }, { stage: 'Prod_2-b' }],
    // (a name is recorded whole in a tag: 256 characters, fewer than AWS's 1024 for a name)
    [{ 'api-name': long(256) }, { apiName: long(256) }],
    [{ 'vpc-link-name': long(255) }, { vpcLinkName: long(255) }],
    // <api-name>-vpc-link, the name shortened so that the whole fits AWS's 255 characters
    [{ 'api-name': long(250) }, { vpcLinkName: `${long(246)}-vpc-link` }],
    [{ 'api-name': 'gw' }, { vpcLinkName: 'gw-vpc-link' }],
    [{ 'ready-path': '/health?x=1' }, { readyPath: '/health?x=1' }],
    [
      { 'subnet-ids': 'subnet-0aaaaaaa,subnet-0bbbbbbb\nsubnet-0aaaaaaa  subnet-0123456789abcdef0' },
      { subnetIds: ['subnet-0aaaaaaa', 'subnet-0bbbbbbb', 'subnet-0123456789abcdef0'] }
    ],
    [{ 'security-group-ids': ' sg-01230123 ' }, { securityGroupIds: ['sg-01230123'] }],
    [{ 'security-group-ids': ' , ' }, { securityGroupIds: undefined }],
    [
      { scheme: 'INTERNAL', 'vpc-link-version': 'V2', 'dry-run': 'true', adopt: 'TRUE' },
      { scheme: 'internal', vpcLinkVersion: 'v2', dryRun: true, adopt: true }
    ],
    [
      { 'wait-for-ready': 'true', 'delete-on-exit': 'true', 'fail-on-cleanup-error': 'true' },
      { waitForReady: true, deleteOnExit: true, failOnCleanupError: true }
    ]
  ])('%j', (inputs, want) => {
    expect(createInputs({ 'load-balancer': NLB, ...inputs })).toMatchObject(want)
  })

  it('names the gateway and its tag after the cluster, which is 3 to 54 characters of words', () => {
    const env = { AWS_REGION: 'us-west-2' }
    expect(createInputs({ 'cluster-name': 'abc' }, env)).toMatchObject({
      apiName: 'cortex-abc',
      clusterName: 'abc',
      vpcLinkName: 'cortex-abc-vpc-link',
      tags: { 'cortex.dev/cluster-name': 'abc' }
    })
    expect(createInputs({ 'cluster-name': 'a'.repeat(54) }, env)).toMatchObject({
      clusterName: 'a'.repeat(54)
    })
    expect(createInputs({ 'cluster-name': 'prod-eu-2', 'api-name': 'gw' }, env)).toMatchObject({
      apiName: 'gw'
    })
    for (const bad of ['ab', 'a'.repeat(55), 'Prod', 'prod--eu', '-prod', 'prod_eu']) {
      expect(inputErrorOf(() => createInputs({ 'cluster-name': bad }, env)).input).toBe('cluster-name')
    }
    expect(
      inputErrorOf(() => createInputs({ 'cluster-name': 'prod', 'load-balancer': NLB }, env)).input
    ).toBe('cluster-name')
  })

  it('refuses a name with a line break or too long, and a GITHUB_REPOSITORY that is not owner/name', () => {
    expect(inputErrorOf(() => createInputs({ 'load-balancer': NLB, 'api-name': 'a\nb' })).input).toBe(
      'api-name'
    )
    expect(
      inputErrorOf(() => createInputs({ 'load-balancer': NLB, 'vpc-link-name': long(256) })).message
    ).toBe("Input 'vpc-link-name': must be at most 255 characters")
    expect(inputErrorOf(() => createInputs({ 'load-balancer': NLB, 'vpc-link-name': 'a\nb' })).input).toBe(
      'vpc-link-name'
    )
    expect(createInputs({ 'load-balancer': NLB }, { GITHUB_REPOSITORY: ' octo/app ' }).owner).toBe('octo/app')
    expect(() => createInputs({ 'load-balancer': NLB }, { GITHUB_REPOSITORY: 'octo' })).toThrow(
      /^GITHUB_REPOSITORY is "octo", not owner\/name: /
    )
  })

  it.each([
    // [what takes tags of the action's on the API beside the five, the user's tags it leaves room for]
    ['nothing more', {}, 45],
    ['a custom domain (two more)', { 'domain-name': 'api.example.com', 'certificate-arn': CERT }, 43],
    ['binary media types (one more)', { 'binary-media-types': 'image/png' }, 44],
    [
      'a custom domain and a settings tag',
      { 'domain-name': 'api.example.com', 'certificate-arn': CERT, 'binary-media-types': 'image/png' },
      42
    ]
  ])("leaves room for the action's own tags: %s", (_, inputs, room) => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join('\n')
    expect(
      Object.keys((createInputs({ 'load-balancer': NLB, ...inputs, tags: tags(room) }) as CreateConfig).tags)
    ).toHaveLength(room)
    expect(
      inputErrorOf(() => createInputs({ 'load-balancer': NLB, ...inputs, tags: tags(room + 1) })).message
    ).toContain(`Input 'tags': at most ${room} tags`)
  })
})

describe('invisible format characters (issue 20, hole 10)', () => {
  // the bidi controls, the marks, the Arabic letter mark, and other Unicode format characters (Cf)
  const FORMAT = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']
  FORMAT.push('\u200e', '\u200f', '\u061c', '\u200b', '\ufeff', '\u00ad', '\u{e0041}')

  it('refuses a right-to-left override in api-name, naming the input and the character, not the value', () => {
    const error = inputErrorOf(() => createInputs({ 'load-balancer': NLB, 'api-name': 'prod-\u202egnp.exe' }))
    expect(error.input).toBe('api-name')
    expect(error.message).toContain('U+202E')
    expect(error.message).not.toContain('\u202e')
  })

  it.each(FORMAT.map(c => [c.codePointAt(0)!.toString(16), c]))(
    'refuses U+%s in every name and tag input, naming the input',
    (_hex, c) => {
      const given: [string, string][] = [
        ['api-name', `prod-${c}x`],
        ['vpc-link-name', `link-${c}x`],
        ['stage', `dev${c}`],
        ['tags', `team=ml${c}`],
        ['tags', `te${c}am=ml`],
        ['api-keys', `key${c}`],
        ['domain-name', `api${c}.example.com`],
        ['base-path', `v1${c}`],
        ['access-log-format', `$context.requestId ${c}`]
      ]
      for (const [input, value] of given) {
        const error = inputErrorOf(() =>
          createInputs({
            'load-balancer': NLB,
            'domain-name': 'api.example.com',
            'certificate-arn': 'arn:aws:acm:us-west-2:123456789012:certificate/abc',
            'access-log-destination': 'arn:aws:logs:us-west-2:123456789012:log-group:x',
            [input]: value
          })
        )
        expect(error.input).toBe(input)
      }
    }
  )

  it('refuses a format or control character in any input at all, for either mode', () => {
    for (const mode of ['create', 'delete']) {
      for (const input of [
        'tracing',
        'mode',
        'api-name',
        'region',
        'timeout',
        'dry-run',
        'resource-policy',
        'ready-path',
        'tags'
      ]) {
        for (const c of ['\u202e', '\u0085', '\u009b', '\u001b']) {
          const error = inputErrorOf(() =>
            createInputs({ mode, 'load-balancer': NLB, [input]: input === 'tags' ? `a=b${c}` : `x${c}` })
          )
          expect(error.input).toBe(input)
        }
      }
    }
  })

  it('still takes emoji-free names with letters of any script, and new lines where an input has lines', () => {
    const c = createInputs({
      'load-balancer': NLB,
      'api-name': 'שלום-gateway',
      tags: 'a=1\r\nb=2'
    }) as CreateConfig
    expect(c.apiName).toBe('שלום-gateway')
    expect(c.tags).toEqual({ a: '1', b: '2' })
  })
})

describe('parseLoadBalancer', () => {
  it.each([
    [NLB],
    [`http://${NLB}`],
    [`https://${NLB}/`],
    [`${NLB.toUpperCase()}:80`],
    [`  HTTP://${NLB}:443/some/path?x=1  `],
    [`${NLB}.`]
  ])('normalises %s', raw => {
    expect(parseLoadBalancer(raw)).toMatchObject({ kind: 'dns', dnsName: NLB, region: 'us-west-2' })
  })

  it('reads the region of ALB-style and China names', () => {
    expect(parseLoadBalancer('internal-k8s-1234.eu-central-1.elb.amazonaws.com')).toMatchObject({
      region: 'eu-central-1'
    })
    expect(parseLoadBalancer('abc-1.elb.cn-north-1.amazonaws.com.cn')).toMatchObject({ region: 'cn-north-1' })
    expect(parseLoadBalancer('my-lb.example.com')).toMatchObject({ region: undefined })
  })

  it('takes a Classic ELB by its name, bare or in its ARN (which says the region)', () => {
    expect(parseLoadBalancer('a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6')).toEqual({
      kind: 'name',
      name: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
      raw: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'
    })
    expect(
      parseLoadBalancer('arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/legacy-apis')
    ).toEqual({
      kind: 'name',
      name: 'legacy-apis',
      raw: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/legacy-apis',
      region: 'eu-west-1'
    })
    expect(parseLoadBalancer('internal-legacy-1457970348.us-east-2.elb.amazonaws.com')).toEqual({
      kind: 'dns',
      dnsName: 'internal-legacy-1457970348.us-east-2.elb.amazonaws.com',
      raw: 'internal-legacy-1457970348.us-east-2.elb.amazonaws.com',
      region: 'us-east-2'
    })
    // longer than 32, or a hyphen first or last: no Classic ELB's name, and no DNS name
    for (const bad of ['x'.repeat(33), '-legacy', 'legacy-', 'leg_acy'])
      expect(inputErrorOf(() => parseLoadBalancer(bad)).message).toContain('is neither a DNS name nor an ARN')
  })

  it.each([['admin:s3cret'], ['admin:pa/ss'], ['admin:pa#ss?x'], ['a@b:p@ss']])(
    'keeps no credentials of a URL (%s@...), whatever the password holds',
    userinfo => {
      const ref = parseLoadBalancer(`http://${userinfo}@${NLB}/`)
      expect(ref).toMatchObject({ kind: 'dns', dnsName: NLB, raw: `http://***@${NLB}/` })
      const password = userinfo.split(':')[1]
      const error = inputErrorOf(() => parseLoadBalancer(`http://${userinfo}@not a host/`))
      expect(error.message).not.toContain(password)
    }
  )

  it('never echoes the query or fragment of a URL (issue 20, hole 9)', () => {
    const error = inputErrorOf(() => parseLoadBalancer('http://user:hunter2@bad_host!/?token=hunter3'))
    expect(error.message).toContain('"http://***@bad_host!/?***" is neither')
    expect(error.message).not.toContain('hunter')
    expect(inputErrorOf(() => parseLoadBalancer('http://bad_host!/#token=hunter3')).message).toContain(
      '"http://bad_host!/#***" is neither'
    )
    expect(inputErrorOf(() => parseLoadBalancer('bad_host!/x#a?token=hunter3')).message).toContain(
      '"bad_host!/x#***" is neither'
    )
    expect(parseLoadBalancer(`https://${NLB}/?token=hunter3#frag`)).toMatchObject({
      kind: 'dns',
      dnsName: NLB,
      raw: `https://${NLB}/?***`
    })
  })

  it.each([['bad_host!?token=hunter3'], ['http:bad_host?token=hunter3'], ['bad host#token=hunter3']])(
    'echoes no query or fragment of a load balancer given without a scheme or a path (%s)',
    value => {
      expect(inputErrorOf(() => parseLoadBalancer(value)).message).not.toContain('hunter')
    }
  )

  it.each([
    ['domain-name', 'https://u:hunter2@api.example.com/?token=hunter3'],
    ['certificate-arn', 'https://u:hunter2@console.aws/acm?token=hunter3'],
    ['web-acl-arn', 'https://u:hunter2@console.aws/wafv2#token=hunter3'],
    ['access-log-destination', 'https://u:hunter2@console.aws/logs?token=hunter3'],
    ['ready-path', '/health check?token=hunter3'],
    ['hosted-zone-id', 'https://u:hunter2@console.aws/route53?token=hunter3'],
    ['region', 'https://u:hunter2@console.aws/?token=hunter3']
  ])('echoes no credentials, query or fragment of a URL given as %s', (input, value) => {
    const error = inputErrorOf(() =>
      createInputs({
        'load-balancer': NLB,
        'domain-name': 'api.example.com',
        'certificate-arn': 'arn:aws:acm:us-west-2:123456789012:certificate/abc',
        [input]: value
      })
    )
    expect(error.input).toBe(input)
    expect(error.message).not.toContain('hunter')
  })

  it("echoes no credentials of a URL given as the cluster's tag value", () => {
    const error = inputErrorOf(() =>
      createInputs({
        'cluster-name': 'prod',
        region: 'us-west-2',
        tags: 'cortex.dev/cluster-name=https://u:hunter2@x.example/a'
      })
    )
    expect(error.input).toBe('tags')
    expect(error.message).not.toContain('hunter')
  })

  it('echoes no credentials, query or fragment of a URL given as any input at all', () => {
    for (const input of Object.values(Inputs)) {
      for (const mode of ['create', 'delete']) {
        const value = 'https://u:hunter2@h.example/x?token=hunter3#hunter4'
        try {
          createInputs({ mode, 'load-balancer': NLB, 'api-keys': 'k', [input]: value })
        } catch (error) {
          expect(String(error)).not.toContain('hunter')
        }
      }
    }
  })

  it('accepts an ARN and takes its region', () => {
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/cortex/50dc6c495c0c9188'
    expect(parseLoadBalancer(arn)).toEqual({ kind: 'arn', arn, raw: arn, region: 'eu-west-1' })
  })
})

describe('parseTags', () => {
  it('reads key=value lines, skipping blanks and comments, values may hold =', () => {
    expect(parseTags('team=ml\n\n# comment\n env = dev \nquery=a=b\nempty=')).toEqual({
      team: 'ml',
      env: 'dev',
      query: 'a=b',
      empty: ''
    })
  })

  it('refuses more tags than AWS allows beside our own', () => {
    const many = Array.from({ length: 46 }, (_, i) => `k${i}=v`).join('\n')
    expect(inputErrorOf(() => parseTags(many)).input).toBe('tags')
  })
})
