// The SQLite spend-log worker, with a way for tests to kill it mid-insert: a batch whose first request_id is
// `exit` ends the thread (code 7), one whose first is `throw` throws an uncaught error. Other batches reach
// the real worker, whose listener is added after this one.
import { parentPort } from 'node:worker_threads';
import type { SpendWorkerRequest } from '../../src/store/sql/sqlite-spend-worker.ts';

parentPort?.on('message', (message: SpendWorkerRequest) => {
  const first = 'rows' in message ? (JSON.parse(message.rows) as { request_id: string }[])[0]?.request_id : undefined;
  if (first === 'exit') process.exit(7);
  if (first === 'throw') throw new Error('boom in the worker');
});
await import('../../src/store/sql/sqlite-spend-worker.ts');
