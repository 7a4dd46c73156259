/**
 * Record and RPC contracts of flunq-io, generated from `proto/flunq/v1` by
 * `npm run proto:generate`. Only this file is written by hand.
 */
export * from './gen/flunq/v1/payload_pb.js';
export * from './gen/flunq/v1/state_pb.js';
export * from './gen/flunq/v1/event_pb.js';
export * from './gen/flunq/v1/executor_pb.js';
export * from './gen/flunq/v1/io_api_pb.js';
