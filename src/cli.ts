// The `igw` command: `igw [serve] --config FILE [--port 4000] [--host 127.0.0.1]`, `igw check --config FILE`.
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { ConfigError, formatIssues, loadConfig, type LoadedConfig } from './config/index.ts';
import { createLogger } from './observability/index.ts';
import { StoreError } from './store/index.ts';
import { startGateway, VERSION } from './start.ts';

const HELP = `igw ${VERSION} — LLM inference gateway

Usage:
  igw [serve] --config FILE [--port 4000] [--host 127.0.0.1] [--log-level info]
  igw check --config FILE      validate a config; list every problem; exit 1 if any is fatal
  igw --help | --version

Options:
  -c, --config FILE    config.yaml (LiteLLM format); default: $IGW_CONFIG or $CONFIG_FILE_PATH
  -p, --port N         port to listen on (default: $PORT or 4000)
      --host ADDR      address to bind (default 127.0.0.1; use 0.0.0.0 in containers)
      --log-level L    trace|debug|info|warn|error (default: $IGW_LOG_LEVEL or info)
`;

interface CliArgs {
  command: 'serve' | 'check';
  config: string;
  port: number;
  host: string;
  logLevel: string;
}

function parse(argv: string[]): CliArgs | 'help' | 'version' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const command = positionals[0] ?? 'serve';
  if (command !== 'serve' && command !== 'check') throw new UsageError(`unknown command '${command}'`);
  const config = values.config ?? process.env.IGW_CONFIG ?? process.env.CONFIG_FILE_PATH;
  if (!config) throw new UsageError('--config FILE is required');
  const port = Number(values.port ?? process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got '${values.port}'`);
  return { command, config, port, host: values.host ?? '127.0.0.1', logLevel: values['log-level'] ?? process.env.IGW_LOG_LEVEL ?? 'info' };
}

class UsageError extends Error {}

async function check(args: CliArgs): Promise<number> {
  const loaded = await loadConfig(args.config, { mode: 'check' });
  printWarnings(args.config, loaded);
  process.stdout.write(`${args.config}: OK (${loaded.config.model_list.length} deployments)\n`);
  return 0;
}

function printWarnings(file: string, loaded: LoadedConfig): void {
  if (loaded.warnings.length > 0) process.stderr.write(`warnings:\n${formatIssues(file, loaded.warnings)}\n`);
}

async function serve(args: CliArgs): Promise<void> {
  const logger = createLogger(args.logLevel);
  const loaded = await loadConfig(args.config, { mode: 'serve' });
  for (const w of loaded.warnings) logger.warn({ path: w.path, line: w.line }, w.message);
  const gateway = await startGateway(loaded, { port: args.port, host: args.host, logger, eagerStore: true });
  // bin/igw.js held the young generation's growth off during start-up; traffic may grow it again.
  setFlagsFromString('--semi-space-growth-factor=2');
  const stop = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    void gateway.close().then(() => logger.flush(() => process.exit(0)));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`igw: ${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (args === 'help') return void process.stdout.write(HELP);
  if (args === 'version') return void process.stdout.write(`${VERSION}\n`);
  try {
    if (args.command === 'check') process.exitCode = await check(args);
    else await serve(args);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    if (err instanceof StoreError) {
      // The store cannot be opened (its directory is in use, PostgreSQL refuses): say so, without a stack.
      process.stderr.write(`igw: cannot open the store: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

await main();
