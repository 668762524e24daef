/**
 * Whether the subgraphs accept the gateway's sharing contexts (issue 15, honest readiness).
 * A subgraph answering 401 refuses the context itself — a key it does not trust, a MAC key
 * that does not match — so every request touching it fails whatever the caller does; the
 * gateway must then not report itself ready. Recorded from real fetches: a 401 marks the
 * subgraph, its next answer that is not a 401 clears it.
 */
export interface SubgraphAuthFailure {
  readonly subgraph: string;
  /** ISO time of the first 401 of the current run of them. */
  readonly since: string;
  readonly detail: string;
}

export class SubgraphAuthHealth {
  private readonly failures = new Map<string, SubgraphAuthFailure>();

  constructor(private readonly clock: () => Date) {}

  refused(subgraph: string, detail: string): void {
    const since = this.failures.get(subgraph)?.since ?? this.clock().toISOString();
    this.failures.set(subgraph, { subgraph, since, detail });
  }

  accepted(subgraph: string): void {
    this.failures.delete(subgraph);
  }

  /** Readiness problems, one line per refusing subgraph (no addresses: /readyz may be public). */
  problems(): string[] {
    return [...this.failures.values()].map((f) => `the ${f.subgraph} subgraph refuses the gateway's sharing context (HTTP 401 since ${f.since}): ${f.detail}`);
  }
}
