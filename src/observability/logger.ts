// Structured logging with pino. Request headers and bodies are never logged, so keys cannot leak; the
// redact list is a second line of defence for fields that might carry one.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string = process.env.IGW_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'igw' },
    redact: { paths: ['*.api_key', '*.master_key', '*.authorization', '*.headers', 'api_key', 'master_key'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, pino.destination({ sync: false }));
}
