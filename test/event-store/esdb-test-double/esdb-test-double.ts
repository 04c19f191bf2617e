import grpc from '@grpc/grpc-js';
import { appendRpc } from './esdb-append.rpc.js';
import { serverFeaturesGrpc, serverFeaturesPb, streamsGrpc } from './esdb-generated.js';
import { EsdbLog } from './esdb-log.js';
import { readRpc } from './esdb-read.rpc.js';

export interface EsdbTestDoubleOptions {
  /** Milliseconds since the epoch for each event's `created` stamp; the real clock by default. */
  readonly clockMs?: () => number;
  /** A fixed port (to come back where a stopped double was); a free one by default. */
  readonly port?: number;
}

/**
 * The EventStoreDB protocol test double: a gRPC server on 127.0.0.1 speaking the subset of
 * EventStoreDB's protocol that the EsdbEventStore adapter uses, with an in-memory log. It is a test
 * double, not a server: see README.md for exactly what it implements.
 */
export class EsdbTestDouble {
  private constructor(
    private readonly server: grpc.Server,
    private readonly log: EsdbLog,
    readonly port: number,
  ) {}

  static start(options: EsdbTestDoubleOptions = {}): Promise<EsdbTestDouble> {
    return EsdbTestDouble.serve(new EsdbLog(options.clockMs), options.port ?? 0);
  }

  private static async serve(log: EsdbLog, port: number): Promise<EsdbTestDouble> {
    const server = new grpc.Server();
    // Methods left out (BatchAppend, Delete, Tombstone, …) answer UNIMPLEMENTED (grpc-js default).
    server.addService(streamsGrpc.StreamsService, { append: appendRpc(log), read: readRpc(log) });
    server.addService(serverFeaturesGrpc.ServerFeaturesService, { getSupportedMethods });
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    return new EsdbTestDouble(server, log, bound);
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Alters one stored event's data in place, behind the client's back (for tamper tests). */
  tamper(stream: string, revision: number, data: unknown): void {
    this.log.tamper(stream, revision, data);
  }

  /**
   * Stops at once, cutting off open calls, then serves the same log on the same port again: a
   * server that went away and came back.
   */
  async restart(): Promise<EsdbTestDouble> {
    await this.stop();
    return EsdbTestDouble.serve(this.log, this.port);
  }

  /** Stops at once: open calls (subscriptions) are cut off as if the server went away. */
  stop(): Promise<void> {
    this.server.forceShutdown();
    return Promise.resolve();
  }
}

/**
 * Lists what the double implements. BatchAppend is absent, so the client appends with
 * `Streams.Append`, as it does against servers that predate BatchAppend.
 */
function getSupportedMethods(
  _call: grpc.ServerUnaryCall<unknown, unknown>,
  callback: grpc.sendUnaryData<InstanceType<typeof serverFeaturesPb.SupportedMethods>>,
): void {
  const method = (service: string, name: string) =>
    new serverFeaturesPb.SupportedMethod().setServiceName(service).setMethodName(name);
  const methods = new serverFeaturesPb.SupportedMethods()
    .setEventStoreServerVersion('0.0.0-test-double')
    .setMethodsList([
      method('event_store.client.streams.streams', 'append'),
      method('event_store.client.streams.streams', 'read'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ]);
  callback(null, methods);
}
