/**
 * `signal replay`: lists dead letters, or moves them back into the delivery queue, all at once
 * or by integration and profile key. A running Signal picks them up at its next look at the
 * queue (within seconds).
 */
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/environment.js';
import { embeddedStore, openStore, storeExists } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { DeadLetterFilter } from '../store/types.js';

/** Dead letters `--list` prints at most, newest first. */
const LIST_LIMIT = 1_000;

const HELP = `Usage: signal replay [--integration ID] [--key PROFILE_KEY] [--list]

Re-queues dead letters (all, or those of one integration and/or profile key).

Options:
  --integration ID   only this integration's dead letters
  --key KEY          only this profile key (for Actito, the e-mail address)
  --list             show the matching dead letters and their errors; change nothing`;

export async function runReplayCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      integration: { type: 'string' },
      key: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }

  const env = readEnvironment();
  const location = embeddedStore(env.dataDir);

  // Opening a missing file would create an empty database and report "0 dead letter(s)", as if
  // a mistyped SIGNAL_DATA_DIR were a healthy queue.
  if (!storeExists(location)) {
    console.error(
      `signal replay: there is no Signal database in ${env.dataDir}; ` +
        'set SIGNAL_DATA_DIR to the data directory of the Signal whose dead letters to replay',
    );
    return 1;
  }

  const store = await openStore(location);
  const filter: DeadLetterFilter = {
    ...(values.integration ? { integrationId: values.integration } : {}),
    ...(values.key ? { profileKey: values.key } : {}),
  };

  try {
    if (values.list) await printDeadLetters(store, filter);
    else await requeue(store, filter);
    return 0;
  } finally {
    await store.close();
  }
}

async function printDeadLetters(store: Store, filter: DeadLetterFilter): Promise<void> {
  // One more than shown, to tell "exactly the limit" from "more than the limit".
  const letters = await store.listDeadLetters(filter, LIST_LIMIT + 1);

  for (const letter of letters.slice(0, LIST_LIMIT)) {
    console.log(
      `${letter.id}\t${letter.integrationId}\t${letter.profileKey}\t${letter.failedAt}\t` +
        `${letter.error.code}: ${letter.error.message}`,
    );
  }

  console.log(
    letters.length > LIST_LIMIT
      ? `the newest ${LIST_LIMIT} of more than ${LIST_LIMIT} dead letters; narrow with --integration or --key`
      : `${letters.length} dead letter(s)`,
  );
}

async function requeue(store: Store, filter: DeadLetterFilter): Promise<void> {
  const count = await store.replayDeadLetters(filter);

  console.log(`${count} dead letter(s) moved back into the delivery queue`);
}
