import { pino, type DestinationStream, type Logger as Pino, type LoggerOptions } from 'pino';
import { createRequire } from 'node:module';
import type PinoPretty from 'pino-pretty';
import type { LogFields, LogLevel, Logger } from './logger.js';

/**
 * JSON lines on stderr (stdout is for command output such as `demo` and `check`): `level`,
 * `time`, `msg`, and fields such as `source` and `event`. When stderr is a terminal the same
 * lines are rendered for people (pino-pretty, synchronously, so nothing is lost at exit).
 */
export function createLogger(level: LogLevel, destination: NodeJS.WritableStream = process.stderr): Logger {
  const options: LoggerOptions = { level, base: { service: 'atlassian-audit-receiver' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (destination === process.stderr && process.stderr.isTTY) {
    const pretty = loadPretty()({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: true });
    return wrap(pino(options, pretty));
  }
  return wrap(pino({ ...options, formatters: { level: (label) => ({ level: label }) } }, destination as DestinationStream));
}

/**
 * pino-pretty (and its dependencies) only when a person reads the logs: services and `once`
 * under a scheduler write JSON, and every module loaded is start-up time and memory.
 * Synchronous (require), so createLogger stays synchronous.
 */
function loadPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}

function wrap(p: Pino): Logger {
  return {
    debug: (msg: string, fields?: LogFields) => p.debug(fields ?? {}, msg),
    info: (msg: string, fields?: LogFields) => p.info(fields ?? {}, msg),
    warn: (msg: string, fields?: LogFields) => p.warn(fields ?? {}, msg),
    error: (msg: string, fields?: LogFields) => p.error(fields ?? {}, msg),
    child: (fields: LogFields) => wrap(p.child(fields)),
  };
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
