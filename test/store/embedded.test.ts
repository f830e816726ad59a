// The store contract on the embedded engine (PGlite), in memory and in a data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMORY, openStore, StoreError } from '../../src/store/index.ts';
import { storeContract } from './contract.ts';

storeContract('embedded (PGlite, in memory)', (clock) => openStore({ dataDir: MEMORY, now: clock.now }));

test('embedded store in a data directory keeps its data across reopen, and refuses a second process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'igw-store-'));
  try {
    const first = await openStore({ dataDir: dir });
    await first.keys.create({ token: 'persist', key_name: 'sk-...1234', key_alias: 'kept' });
    await first.close();
    const again = await openStore({ dataDir: dir });
    assert.equal((await again.keys.getByAlias('kept'))?.token, 'persist');
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the lock file names a live owner: the embedded store refuses to share its directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'igw-store-'));
  const { writeFileSync } = await import('node:fs');
  try {
    writeFileSync(join(dir, 'igw.lock'), String(process.ppid));
    await assert.rejects(openStore({ dataDir: dir }), (err: unknown) => err instanceof StoreError && /in use by process/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
