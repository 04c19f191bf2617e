/**
 * The client package's own generated gRPC code, imported from the very files the client requires,
 * so that the test double and the client share one copy of the message classes in a process
 * (the generated serializers check `instanceof`).
 */
import serverFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import serverFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';

export { serverFeaturesGrpc, serverFeaturesPb, sharedPb, streamsGrpc, streamsPb };
