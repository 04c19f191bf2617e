/** DI token of the process's root pino logger (see create-logger.ts). */
export const PINO_LOGGER = Symbol.for('cadre.PinoLogger');
