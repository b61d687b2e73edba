import pino from 'pino';
import { config } from './config/config';

export const logger = pino({ level: config().logLevel, base: { pid: process.pid } });
export type Logger = typeof logger;
