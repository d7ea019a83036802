/**
 * One AWS account's API Gateway control-plane limits (../shared/reference/aws-facts.md), as token
 * buckets shared by every client of the proxy that holds it: several action processes, or several
 * engines in one process, spend one budget, as every workflow in an account does.
 *
 * A request to API Gateway (REST and v2 alike) first takes a token from the account-wide bucket
 * (10/s, burst 40), then one from its operation's own bucket where it has one. Either empty: the
 * answer is 429 TooManyRequestsException and nothing happens, but a request refused by its
 * operation's limit has still spent its account-wide token, as every request counts against the
 * account's rate. Buckets start full; time comes from `now` (real or virtual milliseconds).
 */
export interface Limit {
  perSecond: number
  burst: number
}

/** By the proxy's operation names (method and templated path); REGIONAL APIs. */
export const API_GATEWAY_LIMITS: { all: Limit; byOperation: Record<string, Limit> } = {
  all: { perSecond: 10, burst: 40 },
  byOperation: {
    // CreateRestApi (REGIONAL, PRIVATE): 1 per 3 s
    'POST /restapis': { perSecond: 1 / 3, burst: 1 },
    // DeleteRestApi: 1 per 30 s
    'DELETE /restapis/{id}': { perSecond: 1 / 30, burst: 1 },
    // CreateDeployment: 1 per 5 s
    'POST /restapis/{id}/deployments': { perSecond: 1 / 5, burst: 1 },
    // CreateResource / DeleteResource: 5 per s
    'POST /restapis/{id}/resources/{id}': { perSecond: 5, burst: 5 },
    'DELETE /restapis/{id}/resources/{id}': { perSecond: 5, burst: 5 },
    // GetResources: 5 per 2 s
    'GET /restapis/{id}/resources': { perSecond: 2.5, burst: 5 },
    // CreateVpcLink (v2): 1 per 15 s; DeleteVpcLink (v2): 1 per 30 s
    'POST /v2/vpclinks': { perSecond: 1 / 15, burst: 1 },
    'DELETE /v2/vpclinks/{id}': { perSecond: 1 / 30, burst: 1 }
  }
}

class Bucket {
  private tokens: number
  private last: number

  constructor(
    private readonly limit: Limit,
    private readonly now: () => number
  ) {
    this.tokens = limit.burst
    this.last = now()
  }

  take(): boolean {
    const t = this.now()
    this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.last) / 1000) * this.limit.perSecond)
    this.last = t
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

export interface AccountStats {
  /** API Gateway requests let through. */
  admitted: number
  /** API Gateway requests answered 429, by the limit that refused them ('all' or an operation). */
  throttled: Record<string, number>
}

export class SimulatedAccount {
  private readonly all: Bucket
  private readonly byOperation = new Map<string, Bucket>()
  readonly stats: AccountStats = { admitted: 0, throttled: {} }
  /** Every call of an operation with a limit of its own: when (by `now`), and whether it went. */
  readonly limited: { at: number; operation: string; admitted: boolean }[] = []

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly limits = API_GATEWAY_LIMITS
  ) {
    this.all = new Bucket(limits.all, now)
  }

  /** Whether a request may go; undefined if so, else the name of the limit that refused it. */
  admit(service: string, operation: string): string | undefined {
    if (service !== 'apigateway') return undefined
    const refused = !this.all.take()
      ? 'all'
      : this.operationBucket(operation)?.take() === false
        ? operation
        : ''
    if (this.limits.byOperation[operation])
      this.limited.push({ at: this.now(), operation, admitted: refused === '' })
    if (!refused) {
      this.stats.admitted++
      return undefined
    }
    this.stats.throttled[refused] = (this.stats.throttled[refused] ?? 0) + 1
    return refused
  }

  throttledTotal(): number {
    return Object.values(this.stats.throttled).reduce((a, b) => a + b, 0)
  }

  private operationBucket(operation: string): Bucket | undefined {
    const limit = this.limits.byOperation[operation]
    if (!limit) return undefined
    let bucket = this.byOperation.get(operation)
    if (!bucket) this.byOperation.set(operation, (bucket = new Bucket(limit, this.now)))
    return bucket
  }
}
