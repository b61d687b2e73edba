// Samples this process's RSS every `everyMs` (100 ms by default) and keeps the peak.
export class RssSampler {
  private timer?: NodeJS.Timeout;
  peak = 0;
  start = 0;

  constructor(private readonly everyMs = 100) {}

  begin(): this {
    this.start = process.memoryUsage().rss;
    this.peak = this.start;
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  sample(): void {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
  }

  end(): number {
    this.sample();
    clearInterval(this.timer);
    return this.peak;
  }
}
