/** DI token of the {@link EventStore} port. */
export const EVENT_STORE = Symbol.for('cadre.EventStore');
