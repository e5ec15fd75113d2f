/**
 * `signal replay`: lists dead letters, or moves them back into the delivery queue, all at once
 * or by integration and profile key. A running Signal picks them up at its next look at the
 * queue (within seconds).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/environment.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { DeadLetterFilter } from '../store/types.js';

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
  const store = await openSqliteStore({ path: join(env.dataDir, 'signal.db') });
  const filter: DeadLetterFilter = {
    ...(values.integration ? { integrationId: values.integration } : {}),
    ...(values.key ? { profileKey: values.key } : {}),
  };

  try {
    if (values.list) {
      const letters = await store.listDeadLetters(filter, 1_000);
      for (const letter of letters) {
        console.log(
          `${letter.id}\t${letter.integrationId}\t${letter.profileKey}\t${letter.failedAt}\t` +
            `${letter.error.code}: ${letter.error.message}`,
        );
      }
      console.log(`${letters.length} dead letter(s)`);
      return 0;
    }

    const count = await store.replayDeadLetters(filter);
    console.log(`${count} dead letter(s) moved back into the delivery queue`);
    return 0;
  } finally {
    await store.close();
  }
}
