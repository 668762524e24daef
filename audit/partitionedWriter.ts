/**
 * Batches onto the partitions this replica leases (PostgreSQL; see partitionLeases.ts):
 * each batch goes to the lowest-numbered held partition with no batch being written, so a
 * replica with little traffic keeps to one chain and a second batch in flight commits on
 * another chain in parallel. A forced checkpoint (on close, on the checkpoint interval, on
 * taking a partition over) signs the head of every partition held.
 */
import type { PreparedRecord } from './auditRecord.ts';
import type { BatchResult, BatchWriter, ChainWriter } from './chainWriter.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { PartitionLeases } from './partitionLeases.ts';

export class PartitionedWriter implements BatchWriter {
  private readonly busy = new Map<number, number>();

  constructor(
    private readonly chain: ChainWriter,
    private readonly leases: PartitionLeases,
  ) {}

  async write(records: readonly PreparedRecord[], forceCheckpoint: boolean): Promise<BatchResult> {
    const held = this.leases.partitions();
    const partition = held.find((p) => !this.busy.get(p)) ?? held[0] ?? this.leases.fallback();
    this.busy.set(partition, (this.busy.get(partition) ?? 0) + 1);
    let result: BatchResult;
    try {
      result = await this.chain.write(records, forceCheckpoint, partition);
    } finally {
      this.busy.set(partition, this.busy.get(partition)! - 1);
    }
    if (!forceCheckpoint) return result;
    const checkpoints: Checkpoint[] = [...result.checkpoints];
    for (const other of held) {
      if (other === partition) continue;
      try {
        checkpoints.push(...(await this.chain.write([], true, other)).checkpoints);
      } catch {
        // The batch's records are committed whatever happens here; the head left unsigned
        // is signed at the next forced checkpoint.
      }
    }
    return { results: result.results, checkpoints };
  }

  async close(): Promise<void> {
    await this.leases.close();
    await this.chain.close();
  }
}
