export { createGateway, type Gateway, type GatewayDeps } from './app.ts';
export { startBackgroundHealthChecks } from './probes.ts';
