const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
// SQLSTATE class 08 (connection exception), shutdowns and "too many connections".
const SERVER_CODES = /^(08...|57P01|57P02|57P03|53300)$/;
const MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i;

/** Whether a `pg` error means the server could not be reached (as opposed to a refused statement). */
export function isConnectionError(error: unknown): boolean {
  // Duck-typed: errors raised by Node's sockets may come from another realm (test runners' VMs).
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) return true;
  return typeof message === 'string' && MESSAGES.test(message);
}
