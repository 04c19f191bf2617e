/** The one clock of a Cadre process: inject {@link CLOCK}; tests and simulations move it. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol.for('cadre.Clock');

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: for tests of time-driven processes. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
