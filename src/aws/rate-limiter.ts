/**
 * A token bucket: API Gateway allows 10 requests/s per account (burst 40), shared with
 * everything else in the account, so concurrent calls here stay under the steady rate with a
 * smaller burst.
 */
export class RateLimiter {
  private tokens: number
  private last: number
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>
  ) {
    this.tokens = burst
    this.last = now()
  }

  /** Resolves when a request may go; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const t = this.now()
        this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond)
        this.last = t
        if (this.tokens >= 1) {
          this.tokens -= 1
          return
        }
        await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000))
      }
    })
    this.queue = turn
    return turn
  }
}

export const API_RATE_PER_SECOND = 10
export const API_BURST = 20
