/** The messages between the event log and its writer thread (see `log-writer.ts`). */

export interface LogWriterSettings {
  path: string;
  synchronous: 'full' | 'normal';
}

/** One batch of events: `[pipelineId, event as JSON]` rows, committed together with others. */
export interface ToLogWriter {
  id: number;
  rows: [pipelineId: string, body: string][];
}

/** The outcome of the batches committed together, by id. */
export type FromLogWriter =
  { ids: number[]; ok: true } | { ids: number[]; ok: false; message: string };
