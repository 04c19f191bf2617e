import grpc from '@grpc/grpc-js';
import { sharedPb, streamsPb } from './esdb-generated.js';
import type { EsdbLog, ExpectedState, ProposedEvent } from './esdb-log.js';

type AppendReq = InstanceType<typeof streamsPb.AppendReq>;
type AppendResp = InstanceType<typeof streamsPb.AppendResp>;
type AppendOptions = InstanceType<typeof streamsPb.AppendReq.Options>;
const { ExpectedStreamRevisionCase } = streamsPb.AppendReq.Options;

/**
 * `Streams.Append`, a client stream: one message with the options, then one per proposed event.
 * Answers `success` with the current revision and position, or `wrong_expected_version` with the
 * stream's current revision, as EventStoreDB does (not a gRPC error).
 */
export const appendRpc =
  (log: EsdbLog) =>
  (
    call: grpc.ServerReadableStream<AppendReq, AppendResp>,
    callback: grpc.sendUnaryData<AppendResp>,
  ): void => {
    let options: AppendOptions | undefined;
    const proposed: ProposedEvent[] = [];
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      const message = req.getProposedMessage();
      if (!message) return;
      const metadata = message.getMetadataMap();
      proposed.push({
        id: message.getId()?.getString() ?? '',
        type: metadata.get('type') ?? '',
        contentType: metadata.get('content-type') ?? 'application/octet-stream',
        data: message.getData_asU8(),
        customMetadata: message.getCustomMetadata_asU8(),
      });
    });
    call.on('end', () => {
      if (!options?.hasStreamIdentifier()) {
        callback({
          code: grpc.status.INVALID_ARGUMENT,
          details: 'The first message must carry the options.',
        });
        return;
      }
      const stream = Buffer.from(options.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
      const expected = expectedState(options);
      callback(null, toResponse(log.append(stream, expected, proposed), expected));
    });
  };

function expectedState(options: AppendOptions): ExpectedState {
  switch (options.getExpectedStreamRevisionCase()) {
    case ExpectedStreamRevisionCase.REVISION:
      return { kind: 'revision', revision: Number(options.getRevision()) };
    case ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

function toResponse(outcome: ReturnType<EsdbLog['append']>, expected: ExpectedState): AppendResp {
  const response = new streamsPb.AppendResp();
  if (outcome.kind === 'wrong_expected_version') {
    const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
    if (outcome.current === null) wrong.setCurrentNoStream(new sharedPb.Empty());
    else wrong.setCurrentRevision(String(outcome.current));
    if (expected.kind === 'revision') wrong.setExpectedRevision(String(expected.revision));
    else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
    else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
    else wrong.setExpectedAny(new sharedPb.Empty());
    return response.setWrongExpectedVersion(wrong);
  }
  const success = new streamsPb.AppendResp.Success().setCurrentRevision(String(outcome.revision));
  if (outcome.kind === 'written') {
    const position = new streamsPb.AppendResp.Position()
      .setCommitPosition(String(outcome.commit))
      .setPreparePosition(String(outcome.prepare));
    success.setPosition(position);
  } else {
    // A repeated write is acknowledged without a position of its own.
    success.setNoPosition(new sharedPb.Empty());
  }
  return response.setSuccess(success);
}
