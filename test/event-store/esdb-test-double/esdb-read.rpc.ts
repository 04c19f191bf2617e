import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import { sharedPb, streamsPb } from './esdb-generated.js';
import { comparePosition, type EsdbLog, type LogPosition, type StoredEvent } from './esdb-log.js';

type ReadReq = InstanceType<typeof streamsPb.ReadReq>;
type ReadResp = InstanceType<typeof streamsPb.ReadResp>;
type ReadOptions = InstanceType<typeof streamsPb.ReadReq.Options>;
type FilterOptions = InstanceType<typeof streamsPb.ReadReq.Options.FilterOptions>;
type Call = grpc.ServerWritableStream<ReadReq, ReadResp>;
const { Options } = streamsPb.ReadReq;
const BACKWARDS = Options.ReadDirection.BACKWARDS;
/** EventStoreDB's default filter search window, in events. */
const SEARCH_WINDOW = 32;

/**
 * `Streams.Read`: reads of one stream, reads of `$all`, and catch-up subscriptions to `$all`.
 * Each answer is written with back-pressure (the double waits for `drain`), so a client that stops
 * reading stops the double through HTTP/2 flow control, as it stops a server.
 */
export const readRpc =
  (log: EsdbLog) =>
  (call: Call): void => {
    const options = call.request.getOptions();
    const aborted = new AbortController();
    call.on('cancelled', () => aborted.abort());
    call.on('close', () => aborted.abort());
    const run = (): Promise<void> => {
      if (!options) throw new Error('A read needs options.');
      if (options.hasStream()) {
        if (options.hasSubscription()) throw new Unimplemented('subscriptions to one stream');
        return readStream(log, call, options);
      }
      if (options.hasSubscription()) return subscribeToAll(log, call, options, aborted.signal);
      return readAll(log, call, options);
    };
    run().then(
      () => call.end(),
      (error: unknown) => {
        if (aborted.signal.aborted) return;
        const code = error instanceof Unimplemented ? grpc.status.UNIMPLEMENTED : grpc.status.INTERNAL;
        call.destroy(Object.assign(new Error(String(error)), { code, details: String(error) }));
      },
    );
  };

class Unimplemented extends Error {
  constructor(what: string) {
    super(`The EventStoreDB protocol test double does not implement ${what}.`);
  }
}

async function readStream(log: EsdbLog, call: Call, options: ReadOptions): Promise<void> {
  const streamOptions = options.getStream()!;
  const identifier = streamOptions.getStreamIdentifier()!;
  const events = log.stream(Buffer.from(identifier.getStreamName_asU8()).toString('utf8'));
  if (!events) {
    const notFound = new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(identifier);
    await send(call, new streamsPb.ReadResp().setStreamNotFound(notFound));
    return;
  }
  const backwards = options.getReadDirection() === BACKWARDS;
  const count = Number(options.getCount());
  let from = backwards ? events.length - 1 : 0;
  if (streamOptions.hasRevision()) from = Number(streamOptions.getRevision());
  else if (streamOptions.hasEnd()) from = backwards ? events.length - 1 : events.length;
  const selected = backwards
    ? events.slice(0, Math.min(from, events.length - 1) + 1).reverse()
    : events.slice(Math.max(from, 0));
  for (const event of selected.slice(0, count)) await send(call, eventResponse(event));
}

/** `$all` forwards is inclusive of the position it starts at; backwards, exclusive (EventStoreDB's rule). */
async function readAll(log: EsdbLog, call: Call, options: ReadOptions): Promise<void> {
  const all = options.getAll()!;
  const backwards = options.getReadDirection() === BACKWARDS;
  const matches = filterOf(options);
  const count = Number(options.getCount());
  let index: number;
  if (all.hasPosition()) {
    const at = log.indexAtOrAfter(toLogPosition(all.getPosition()!));
    index = backwards ? at - 1 : at;
  } else if (all.hasEnd()) index = backwards ? log.all.length - 1 : log.all.length;
  else index = backwards ? -1 : 0;
  let sent = 0;
  for (; index >= 0 && index < log.all.length && sent < count; index += backwards ? -1 : 1) {
    if (!matches(log.all[index])) continue;
    await send(call, eventResponse(log.all[index]));
    sent += 1;
  }
}

/**
 * Confirmation, then the events after the start position (exclusive), a checkpoint and `caughtUp`,
 * then live events as they are appended. The seam between catch-up and live cannot lose or repeat
 * an event: both walk the one `$all` array by index, and appends happen between awaits only.
 */
async function subscribeToAll(
  log: EsdbLog,
  call: Call,
  options: ReadOptions,
  signal: AbortSignal,
): Promise<void> {
  const all = options.getAll()!;
  const matches = filterOf(options);
  const checkpointEvery = checkpointInterval(options.hasFilter() ? options.getFilter() : undefined);
  let index = 0;
  if (all.hasEnd()) index = log.all.length;
  else if (all.hasPosition()) {
    const after = toLogPosition(all.getPosition()!);
    index = log.indexAtOrAfter(after);
    if (index < log.all.length && comparePosition(log.all[index], after) === 0) index += 1;
  }
  const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
  await send(call, new streamsPb.ReadResp().setConfirmation(confirmation));
  let caughtUp = false;
  let scanned = 0;
  while (!signal.aborted) {
    if (index < log.all.length) {
      const event = log.all[index++];
      if (matches(event)) await send(call, eventResponse(event));
      scanned += 1;
      if (checkpointEvery !== null && scanned % checkpointEvery === 0) await send(call, checkpoint(event));
      continue;
    }
    if (!caughtUp) {
      const last = log.all.at(index - 1);
      if (checkpointEvery !== null && last) await send(call, checkpoint(last));
      await send(call, new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp()));
      caughtUp = true;
      continue;
    }
    await log.nextAppend(signal);
  }
}

/** Filtered subscriptions get a checkpoint every `multiplier × window` events scanned. */
function checkpointInterval(filter: FilterOptions | undefined): number | null {
  if (!filter) return null;
  const window = filter.hasMax() ? filter.getMax() : SEARCH_WINDOW;
  return Math.max(1, filter.getCheckpointintervalmultiplier()) * window;
}

function filterOf(options: ReadOptions): (event: StoredEvent) => boolean {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : null;
  return (event) => {
    const subject = onStream ? event.stream : event.type;
    if (prefixes.length > 0 && !prefixes.some((prefix) => subject.startsWith(prefix))) return false;
    return regex === null || regex.test(subject);
  };
}

function toLogPosition(position: InstanceType<typeof streamsPb.ReadReq.Options.Position>): LogPosition {
  return { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) };
}

function checkpoint(event: StoredEvent): ReadResp {
  const message = new streamsPb.ReadResp.Checkpoint()
    .setCommitPosition(String(event.commit))
    .setPreparePosition(String(event.prepare));
  return new streamsPb.ReadResp().setCheckpoint(message);
}

function eventResponse(event: StoredEvent): ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(new sharedPb.UUID().setString(event.id))
    .setStreamIdentifier(new sharedPb.StreamIdentifier().setStreamName(Buffer.from(event.stream, 'utf8')))
    .setStreamRevision(String(event.revision))
    .setCommitPosition(String(event.commit))
    .setPreparePosition(String(event.prepare))
    .setCustomMetadata(event.customMetadata)
    .setData(event.data);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType)
    .set('created', String(event.created));
  const read = new streamsPb.ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(event.commit));
  return new streamsPb.ReadResp().setEvent(read);
}

async function send(call: Call, message: ReadResp): Promise<void> {
  if (call.cancelled || call.destroyed) throw new Error('cancelled');
  if (!call.write(message)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        call.off('drain', done);
        call.off('close', done);
        resolve();
      };
      call.on('drain', done);
      call.on('close', done);
    });
  }
}
