// Wiring: a loaded config becomes a running gateway. Used by the CLI and by the tests.
import { readFileSync } from 'node:fs';
import { Authenticator } from './auth/index.ts';
import { openBackends } from './backends.ts';
import type { LoadedConfig } from './config/index.ts';
import { createLogger, type Logger } from './observability/index.ts';
import { CooldownSharing, ModelRouter, referencedModels, routerOptions } from './router/index.ts';
import { createGateway, startBackgroundHealthChecks, type Gateway } from './server/index.ts';
import { createGovernance, type GovernanceOptions, type GovernanceService } from './server/governance/index.ts';
import { legacyStoreNotice } from './store/index.ts';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface StartOptions {
  port: number;
  host: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Embedded store directory, overriding the config (tests pass `:memory:`). */
  dataDir?: string;
  /** Open the embedded store before listening (the CLI does); otherwise on first use. */
  eagerStore?: boolean;
  /** Injected clock for budget periods and rate windows (tests); default Date.now. */
  now?: () => number;
  /** PostgreSQL schema / Redis key prefix (tests run one per suite). */
  schema?: string;
  statePrefix?: string;
  /** Spend-log batching and the budget-reset interval (tests shorten or disable them). */
  governance?: Pick<GovernanceOptions, 'spendLog' | 'budgetResetIntervalMs'>;
}

export interface RunningGateway extends Gateway {
  port: number;
  url: string;
  /** Flush spend logs, reset due budgets: for tests and the admin API. */
  governance: GovernanceService;
}

export async function startGateway(loaded: LoadedConfig, opts: StartOptions): Promise<RunningGateway> {
  const { config } = loaded;
  const logger = opts.logger ?? createLogger();
  const router = new ModelRouter(config.model_list, routerOptions(config, opts.env ?? process.env));
  const backends = await openBackends(config, {
    env: opts.env ?? process.env,
    dataDir: opts.dataDir,
    eagerStore: opts.eagerStore,
    now: opts.now,
    schema: opts.schema,
    statePrefix: opts.statePrefix,
  });
  // One process has nothing to share its cooldowns with; replicas share them through Redis.
  const sharing =
    backends.state.engine === 'memory'
      ? undefined
      : new CooldownSharing(router.cooldowns, backends.state, { ids: router.groups.deploymentIds(), logger });
  await sharing?.start();
  const gs = config.general_settings;
  const governance = createGovernance({
    modelList: config.model_list,
    ...backends,
    logger,
    spendLog: { flushIntervalMs: (gs.proxy_batch_write_at ?? 1) * 1000, disabled: gs.disable_spend_logs },
    ...opts.governance,
  });
  const auth = new Authenticator({
    masterKey: config.general_settings.master_key,
    store: () => backends.store.get(),
    bus: backends.invalidations,
  });
  const gateway = createGateway({
    router,
    auth,
    logger,
    maxBodyBytes: Math.round(config.general_settings.max_request_size_mb * 1024 * 1024),
    version: VERSION,
    store: backends.store,
    state: backends.state,
    invalidations: backends.invalidations,
    governance,
  });
  const closeServer = gateway.close;
  gateway.close = async () => {
    await closeServer();
    // Every acknowledged request's spend-log row reaches the store before it closes.
    await governance.close();
    await sharing?.stop();
    await backends.close();
  };
  let port: number;
  try {
    port = await gateway.listen(opts.port, opts.host);
  } catch (err) {
    await governance.close();
    await sharing?.stop();
    await backends.close();
    throw err;
  }
  logger.info(backends.description, 'store and state backends');
  const legacy = legacyStoreNotice(backends.store.options);
  if (legacy) logger.warn(legacy);
  if (auth.open) logger.warn('no general_settings.master_key: the gateway is open, any caller may use it');
  warnAboutRouting(router, logger);
  const stopChecks = gs.background_health_checks ? startBackgroundHealthChecks(router, (gs.health_check_interval ?? 300) * 1000) : undefined;
  const close = gateway.close;
  gateway.close = async () => {
    stopChecks?.();
    await close();
  };
  logger.info({ port, host: opts.host, models: router.modelNames() }, `igw ${VERSION} listening on http://${opts.host}:${port}`);
  return { ...gateway, governance, port, url: `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}` };
}

/** Deployments that cannot be called and fallbacks naming unknown models are config mistakes worth a line at start-up. */
function warnAboutRouting(router: ModelRouter, logger: Logger): void {
  for (const group of router.groups.all()) {
    for (const err of group.unusable) logger.warn({ model: group.name }, `deployment unusable: ${err.message}`);
  }
  for (const name of referencedModels(router.fallbacks)) {
    if (!router.has(name)) logger.warn({ model: name }, `fallbacks name '${name}', which is not in model_list`);
  }
}
