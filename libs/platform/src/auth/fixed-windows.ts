const WINDOW_MS = 60_000;
/** Beyond this many keys in a window, the oldest windows are dropped (bounded memory). */
const MAX_TRACKED = 100_000;

/**
 * Counts per key in fixed one-minute windows (decision 0006): `hit` counts one and says, once the
 * key is over `limit`, how many seconds remain before its window ends. One per purpose: requests
 * per caller, authentication failures per address.
 */
export class FixedWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  /** Null while the key is within `limit`; else the seconds until its window ends. */
  hit(key: string, limit: number, now = Date.now()): number | null {
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      if (this.windows.size >= MAX_TRACKED) this.windows.clear();
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count > limit ? Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)) : null;
  }

  /** Whether the key is already over `limit` in its current window (without counting). */
  over(key: string, limit: number, now = Date.now()): number | null {
    const window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS || window.count < limit) return null;
    return Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
  }
}
