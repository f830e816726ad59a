// Standalone simulator: `node test/simulator/cli.ts --port 9100 [--host 127.0.0.1] [--api-key K] [--record]`.
// Recording is off by default here (the benchmark would otherwise grow `calls` without bound).

import { parseArgs } from 'node:util';
import { startSimulator } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9100' },
    host: { type: 'string', default: '127.0.0.1' },
    'api-key': { type: 'string' },
    record: { type: 'boolean', default: false },
  },
});

const sim = await startSimulator({
  port: Number(values.port),
  host: values.host,
  apiKey: values['api-key'],
  record: values.record,
});
console.log(`simulator listening on ${sim.url}`);

const stop = () => { void sim.close().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
