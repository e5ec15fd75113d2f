/**
 * The thread that writes the event log: it owns the log's write connection, commits each batch
 * it receives in one transaction and answers once the batch is durable. Messages that queued up
 * while it was committing are taken together, so a slow disk means bigger commits, not more.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { configureLogConnection } from './log-connection.js';
import type { FromLogWriter, LogWriterSettings, ToLogWriter } from './log-writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('log-writer-thread.ts runs only as a worker thread');

const settings = workerData as LogWriterSettings;
const db = new BetterSqlite3(settings.path);
configureLogConnection(db, settings.synchronous);

const insert = db.prepare('INSERT INTO events (pipeline_id, body, received_at) VALUES (?, ?, ?)');
const commit = db.transaction((batches: ToLogWriter[]) => {
  const at = Date.now();
  for (const batch of batches) {
    for (const [pipelineId, body] of batch.rows) insert.run(pipelineId, body, at);
  }
});

port.on('message', (first: ToLogWriter | 'close') => {
  if (first === 'close') return close();

  const batches = [first];
  for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port)) {
    const message = next.message as ToLogWriter | 'close';
    if (message === 'close') {
      write(batches);
      return close();
    }
    batches.push(message);
  }
  write(batches);
});

function write(batches: ToLogWriter[]): void {
  let reply: FromLogWriter;
  try {
    commit(batches);
    reply = { ids: batches.map((batch) => batch.id), ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = { ids: batches.map((batch) => batch.id), ok: false, message };
  }
  port!.postMessage(reply);
}

function close(): void {
  db.close();
  port!.close();
}
