/**
 * `signal replay` run as an operator runs it, as its own process, against the data directory of
 * a running Signal whose Actito integration named a table that does not exist (a dead letter per
 * profile).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { eventually } from '../../test/support/eventually.js';
import { seedContext, startHarness, type Harness } from '../../test/support/signal-harness.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const ANA = 'ana@example.com';
const BEN = 'ben@example.com';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `signal <args>` from the sources with SIGNAL_DATA_DIR set to `dataDir`. */
function signal(dataDir: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { env: { ...process.env, SIGNAL_DATA_DIR: dataDir }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The lines `--list` printed for dead letters, without its closing count. */
function listedLetters(run: Run): string[][] {
  return run.stdout
    .trim()
    .split('\n')
    .slice(0, -1)
    .map((line) => line.split('\t'));
}

async function deadLetterKeys(harness: Harness): Promise<string[]> {
  const letters = await harness.signal.store.listDeadLetters();

  return letters.map((letter) => letter.profileKey).sort();
}

/** Points the integration at the table that exists, as the operator would before replaying. */
async function fixTableName(harness: Harness): Promise<void> {
  const [record] = await harness.signal.store.listIntegrations();
  await harness.signal.store.upsertIntegration({
    ...record!,
    config: { ...record!.config, profile_table: 'Profiles' },
  });
  await harness.signal.reloadConfiguration();
}

describe('signal replay', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness({ actitoConfig: { profile_table: 'profiles' } });
    for (const email of [ANA, BEN]) {
      await harness.send('/v1/i', { userId: email, traits: { email }, context: seedContext() });
    }
    await eventually(async () => {
      const keys = await deadLetterKeys(harness);
      return keys.length === 2 ? keys : undefined;
    }, 'a dead letter for each profile');
  });

  afterEach(async () => {
    await harness.close();
  });

  it('lists every dead letter with its integration, key and error, and changes nothing', async () => {
    const run = await signal(harness.dataDir, ['replay', '--list']);

    assert.equal(run.code, 0, run.stderr);
    const letters = listedLetters(run);
    assert.deepEqual(letters.map(([, integration, key]) => [integration, key]).sort(), [
      ['actito', ANA],
      ['actito', BEN],
    ]);
    for (const [id, , , failedAt, error] of letters) {
      assert.match(id!, /^\d+$/);
      assert.ok(!Number.isNaN(Date.parse(failedAt!)), `failedAt ${failedAt}`);
      assert.match(error!, /^VENDOR_NOT_FOUND: .*case-sensitive/);
    }
    assert.match(run.stdout, /\n2 dead letter\(s\)\n$/);
    assert.deepEqual(await deadLetterKeys(harness), [ANA, BEN]);
  });

  it('lists only the dead letters matching --integration and --key', async () => {
    const byKey = await signal(harness.dataDir, ['replay', '--list', '--key', ANA]);
    const byOther = await signal(harness.dataDir, ['replay', '--list', '--integration', 'other']);

    assert.deepEqual(
      listedLetters(byKey).map(([, , key]) => key),
      [ANA],
    );
    assert.match(byKey.stdout, /\n1 dead letter\(s\)\n$/);
    assert.equal(byOther.stdout, '0 dead letter(s)\n');
  });

  it('requeues the dead letters of one key, which the running Signal then delivers', async () => {
    await fixTableName(harness);

    const run = await signal(harness.dataDir, ['replay', '--integration', 'actito', '--key', ANA]);

    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '1 dead letter(s) moved back into the delivery queue\n');
    assert.deepEqual(await deadLetterKeys(harness), [BEN]);
    const delivered = await eventually(() => harness.profile(ANA), 'the replayed profile', 10_000);
    assert.equal(delivered.email, ANA);
    assert.equal(harness.profile(BEN), undefined);
  });

  it('moves every dead letter back without a filter', async () => {
    await fixTableName(harness);

    const run = await signal(harness.dataDir, ['replay']);

    assert.equal(run.stdout, '2 dead letter(s) moved back into the delivery queue\n');
    assert.deepEqual(await deadLetterKeys(harness), []);
    await eventually(() => harness.profile(ANA) && harness.profile(BEN), 'both profiles', 10_000);
  });
});

describe('signal replay without a Signal database', () => {
  it('says so and exits 1, creating nothing in the directory', async (t) => {
    const empty = mkdtempSync(join(tmpdir(), 'signal-replay-'));
    t.after(() => rmSync(empty, { recursive: true, force: true }));

    const run = await signal(empty, ['replay', '--list']);

    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /no Signal database in .*SIGNAL_DATA_DIR/);
    assert.deepEqual(readdirSync(empty), []);
  });
});
