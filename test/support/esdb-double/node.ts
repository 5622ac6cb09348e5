import { randomUUID } from 'node:crypto';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import {
  SupportedMethod,
  SupportedMethods,
} from '@eventstore/db-client/generated/serverfeatures_pb';
import {
  AllStreamPosition,
  BadRequest,
  Empty,
  MaximumAppendSizeExceeded,
  StreamIdentifier,
  Timeout,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as WellKnownEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import {
  type AppendOutcome,
  EsdbLog,
  EXPECTED_ANY,
  EXPECTED_NO_STREAM,
  EXPECTED_STREAM_EXISTS,
  type LogRecord,
  type ProposedEvent,
} from './log';
import { TcpProxy } from './proxy';

/**
 * One EventStoreDB node, doubled on the wire: a @grpc/grpc-js server built from the service
 * definitions @eventstore/db-client ships (generated/*_grpc_pb.js), serving exactly what the
 * client 6.x calls for the adapter: ServerFeatures.GetSupportedMethods, Gossip.Read (cluster
 * connections), Streams.Append, Streams.BatchAppend and Streams.Read (streams and $all, forwards
 * and backwards over streams, $all forwards, $all subscriptions with a filter). Anything else
 * answers UNIMPLEMENTED rather than guess.
 *
 * Server references are to EventStore/EventStore src/EventStore.Core/Services/Transport/Grpc/
 * (Streams.Append.cs, Streams.BatchAppend.cs, Streams.Read.cs, RpcExceptions.cs, Status.cs) and
 * .../Transport/Enumerators/ (the Read enumerators); client references to
 * @eventstore/db-client 6.2.1 dist/.
 */

export type NodeRole = 'leader' | 'follower' | 'readOnlyReplica';

/** A fault the next matching append meets. `committed`: the write reached the log first. */
export type AppendFault =
  /** The server's write timed out (PrepareTimeout / CommitTimeout): the outcome is unknown. */
  | { readonly kind: 'timeout'; readonly committed: boolean }
  /** The connection dies while the append is in flight. */
  | { readonly kind: 'drop'; readonly committed: boolean }
  /** The write succeeds but its answer leaves `ms` late: past a short client deadline. */
  | { readonly kind: 'slow'; readonly ms: number };

/** Every append the node received, as it received it: what a retry really resent. */
export interface AppendAttempt {
  readonly node: string;
  readonly via: 'append' | 'batchAppend';
  readonly stream: string;
  readonly expected: bigint;
  readonly ids: readonly string[];
  readonly requiresLeader: boolean;
}

export interface NodeOptions {
  readonly name?: string;
  /** Shared by the nodes of a cluster. */
  readonly log?: EsdbLog;
  readonly role?: NodeRole;
  /**
   * Servers from 21.10 list Streams.BatchAppend in GetSupportedMethods, and the client then
   * appends through it (dist/streams/appendToStream/index.js). false doubles a 20.x server, which
   * has no ServerFeatures service at all: the client falls back to Streams.Append.
   */
  readonly batchAppend?: boolean;
  /**
   * Bytes one append may carry, summed over Event.SizeOnDisk (data + metadata + 2 x type length).
   * The server's default is 1,048,576 (ClusterVNodeOptions.MaxAppendSize, EVENTSTORE_MAX_APPEND_SIZE).
   */
  readonly maxAppendSize?: number;
  /** Who the node thinks the leader is (for NotLeader answers and forwarding). */
  readonly leader?: () => EsdbDoubleNode | undefined;
  /** What Gossip.Read answers (a cluster's view); a single node answers itself. */
  readonly gossip?: () => readonly EsdbDoubleNode[];
}

export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

/** gossip.proto MemberInfo.VNodeState, the states the client's discovery looks at. */
export const VNodeState = MemberInfo.VNodeState;

export class EsdbDoubleNode {
  readonly name: string;
  readonly log: EsdbLog;
  role: NodeRole;
  /** What gossip says this node is; by default what it is. Set it to make gossip stale. */
  advertisedState: MemberInfo.VNodeState | undefined;
  readonly attempts: AppendAttempt[] = [];
  /** Calls received, by method, and appends a follower forwarded to the leader. */
  readonly calls = {
    getSupportedMethods: 0,
    gossip: 0,
    append: 0,
    batchAppend: 0,
    read: 0,
    forwarded: 0,
  };
  private readonly faults: Array<{ stream?: string; fault: AppendFault }> = [];
  private readonly instanceId = randomUUID();

  private constructor(
    private readonly server: grpc.Server,
    private readonly proxy: TcpProxy,
    private readonly options: NodeOptions,
  ) {
    this.name = options.name ?? 'node';
    this.log = options.log as EsdbLog;
    this.role = options.role ?? 'leader';
  }

  static async start(options: NodeOptions = {}): Promise<EsdbDoubleNode> {
    // Kestrel's default for HTTP/2 streams per connection (Http2Limits.MaxStreamsPerConnection);
    // the server changes only its keep-alive limits (src/KurrentDB/Program.cs). Past it the
    // client's calls wait for a free stream, as they would against the server.
    const server = new grpc.Server({ 'grpc.max_concurrent_streams': 100 });
    const grpcPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    const proxy = await TcpProxy.start(grpcPort);
    const node = new EsdbDoubleNode(server, proxy, {
      ...options,
      log: options.log ?? new EsdbLog(),
    });
    node.register();
    return node;
  }

  /** The port clients connect to (through the proxy, so that connections can be dropped). */
  get port(): number {
    return this.proxy.port;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** The next `times` appends (to `stream`, or any) meet `fault`, then appends work again. */
  failAppends(fault: AppendFault, { times = 1, stream }: { times?: number; stream?: string } = {}) {
    for (let i = 0; i < times; i++) this.faults.push({ stream, fault });
  }

  /** Resets every client connection to this node, subscriptions and appends in flight included. */
  dropConnections(): void {
    this.proxy.drop();
  }

  async stop(): Promise<void> {
    this.server.forceShutdown();
    await this.proxy.close();
  }

  private register(): void {
    const streams: grpc.UntypedServiceImplementation = {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => {
        this.calls.read++;
        this.read(call).catch((error) => call.emit('error', toServiceError(error)));
      },
      append: (
        call: grpc.ServerReadableStream<AppendReq, AppendResp>,
        callback: grpc.sendUnaryData<AppendResp>,
      ) => {
        this.calls.append++;
        this.append(call, callback);
      },
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => {
        this.calls.batchAppend++;
        this.batchAppend(call);
      },
    };
    this.server.addService(StreamsService, streams);
    this.server.addService(GossipService, {
      read: (_call: unknown, callback: grpc.sendUnaryData<ClusterInfo>) => {
        this.calls.gossip++;
        callback(null, this.clusterInfo());
      },
    });
    // A 20.x server has no ServerFeatures service: grpc-js then answers UNIMPLEMENTED, which the
    // client takes as "unknown version, nothing optional supported" (dist/Client/ServerFeatures.js).
    if (this.options.batchAppend ?? true) {
      this.server.addService(ServerFeaturesService, {
        getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<SupportedMethods>) => {
          this.calls.getSupportedMethods++;
          callback(null, supportedMethods());
        },
      });
    }
  }

  // ---------------------------------------------------------------- appends

  /** Streams.Append: an Options message, then one ProposedMessage per event (Streams.Append.cs). */
  private append(
    call: grpc.ServerReadableStream<AppendReq, AppendResp>,
    callback: grpc.sendUnaryData<AppendResp>,
  ): void {
    const requests: AppendReq[] = [];
    call.on('data', (request: AppendReq) => requests.push(request));
    call.on('error', () => {});
    call.on('end', () => {
      try {
        const [header, ...messages] = requests;
        const options = header?.getOptions();
        // "if (requestStream.Current.ContentCase != AppendReq.ContentOneofCase.Options) throw new
        // InvalidOperationException()": an unhandled exception, which the client sees as UNKNOWN.
        if (!options || messages.some((message) => !message.hasProposedMessage())) {
          throw serviceError(grpc.status.UNKNOWN, 'Exception was thrown by handler.');
        }
        const stream = streamName(options.getStreamIdentifier());
        const expected = appendExpected(options);
        const events = messages.map((message) =>
          proposed(message.getProposedMessage() as AppendReq.ProposedMessage),
        );
        const size = events.reduce((sum, event) => sum + sizeOnDisk(event), 0);
        if (size > this.maxAppendSize) {
          // RpcExceptions.MaxAppendSizeExceeded.
          throw serviceError(
            grpc.status.INVALID_ARGUMENT,
            `Maximum Append Size of ${this.maxAppendSize} Exceeded.`,
            {
              exception: 'maximum-append-size-exceeded',
              'maximum-append-size': String(this.maxAppendSize),
            },
          );
        }
        const { outcome, delayMs } = this.write('append', call.metadata, stream, expected, events);
        if (outcome === 'dropped') return;
        if (outcome === 'timeout') {
          // Write timeouts on Append: RpcExceptions.Timeout, status Aborted (client: TimeoutError).
          throw serviceError(grpc.status.ABORTED, 'Operation timed out: Prepare phase timeout.');
        }
        const answer = () => callback(null, appendResponse(outcome, options));
        if (delayMs === 0) answer();
        else setTimeout(answer, delayMs);
      } catch (error) {
        callback(toServiceError(error));
      }
    });
  }

  /**
   * Streams.BatchAppend: one bidirectional call the client keeps open and shares between its
   * appends (dist/streams/appendToStream/batchAppend.js). Each append is a correlation id, an
   * Options message (in its first request only) and events, up to the request with is_final;
   * each gets one BatchAppendResp with the same correlation id (Streams.BatchAppend.cs).
   */
  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    const pending = new Map<string, PendingWrite>();
    let answering = 0;
    let ended = false;
    const endIfDone = () => {
      if (ended && answering === 0) call.end();
    };
    const respond = (request: BatchAppendReq, stream: string | undefined, result: Result) => {
      const response = new BatchAppendResp();
      response.setCorrelationId(request.getCorrelationId());
      if (stream !== undefined) response.setStreamIdentifier(streamIdentifier(stream));
      result(response);
      call.write(response);
    };
    call.on('error', () => {});
    call.on('end', () => {
      ended = true;
      endIfDone();
    });
    call.on('data', (request: BatchAppendReq) => {
      const id = request.getCorrelationId()?.getString() ?? '';
      let write: PendingWrite | undefined;
      let written: ReturnType<EsdbDoubleNode['write']>;
      try {
        const options = request.getOptions();
        if (options) {
          // The server also starts a timer from options.deadline here, which only answers
          // Timeout if is_final has not come in time; the client sends is_final promptly.
          pending.set(id, {
            stream: streamName(options.getStreamIdentifier()),
            expected: batchExpected(options),
            events: [],
            size: 0,
          });
        }
        write = pending.get(id);
        if (!write) return;
        for (const message of request.getProposedMessagesList()) {
          const event = proposed(message);
          write.events.push(event);
          write.size += sizeOnDisk(event);
        }
        if (write.size > this.maxAppendSize) {
          pending.delete(id);
          const details = new MaximumAppendSizeExceeded();
          details.setMaxappendsize(this.maxAppendSize);
          const error = status(Code.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', details);
          respond(request, write.stream, (r) => r.setError(error));
          return;
        }
        if (!request.getIsFinal()) return;
        pending.delete(id);
        written = this.write('batchAppend', call.metadata, write.stream, write.expected, [
          ...write.events,
        ]);
      } catch (error) {
        if (isNotLeader(error)) {
          // A NotLeader answer is thrown from the write's callback (RpcExceptions.LeaderInfo in
          // ConvertMessage), which completes the response channel with it: the whole call ends
          // with that status, failing every append still pending on it.
          call.emit('error', error);
          return;
        }
        // Anything else thrown for one request is answered as Status.BadRequest.
        const details = new BadRequest();
        details.setMessage(error instanceof Error ? error.message : String(error));
        const bad = status(Code.INVALID_ARGUMENT, 'BadRequest', details);
        respond(request, write?.stream, (r) => r.setError(bad));
        return;
      }
      const { outcome, delayMs } = written;
      const { stream, expected } = write;
      if (outcome === 'dropped') return;
      if (outcome === 'timeout') {
        // Status.Timeout: code DeadlineExceeded, details event_store.client.Timeout, which the
        // client unpacks to DeadlineExceededError (dist/streams/appendToStream/unpackError.js).
        const timeout = status(Code.DEADLINE_EXCEEDED, 'Timeout', new Timeout());
        respond(request, stream, (r) => r.setError(timeout));
        return;
      }
      if (delayMs === 0) {
        respond(request, stream, (r) => setBatchResult(r, outcome, expected));
        return;
      }
      answering++;
      setTimeout(() => {
        answering--;
        if (!call.cancelled) respond(request, stream, (r) => setBatchResult(r, outcome, expected));
        endIfDone();
      }, delayMs);
    });
  }

  /**
   * What the node does with a write request: the leader writes; a follower forwards it to the
   * leader unless the call requires the leader; a read-only replica refuses it
   * (ClusterVNodeController.HandleAsNonLeader / HandleAsReadOnlyReplica for WriteEvents).
   * Throws the NotLeader / NotReady error the transport would send.
   */
  private write(
    via: AppendAttempt['via'],
    metadata: grpc.Metadata,
    stream: string,
    expected: bigint,
    events: readonly ProposedEvent[],
  ): { outcome: AppendOutcome | 'timeout' | 'dropped'; delayMs: number } {
    const requiresLeader = requiresLeaderOf(metadata);
    this.attempts.push({
      node: this.name,
      via,
      stream,
      expected,
      ids: events.map((event) => event.id),
      requiresLeader,
    });
    if (this.role !== 'leader') {
      if (requiresLeader || this.role === 'readOnlyReplica') throw this.notLeader();
      // A follower without a leader is not one: the node is between states and not ready
      // (DenyRequestBecauseNotReady, RpcExceptions.ServerNotReady).
      if (!this.options.leader?.()) {
        throw serviceError(grpc.status.UNAVAILABLE, 'Server Is Not Ready');
      }
      // Forwarded to the leader, whose log the cluster shares.
      this.calls.forwarded++;
    }
    const index = this.faults.findIndex(
      ({ stream: only }) => only === undefined || stream.startsWith(only),
    );
    const fault = index === -1 ? undefined : this.faults.splice(index, 1)[0]?.fault;
    if (fault === undefined)
      return { outcome: this.log.append(stream, expected, events), delayMs: 0 };
    if (fault.kind === 'slow') {
      return { outcome: this.log.append(stream, expected, events), delayMs: fault.ms };
    }
    if (fault.committed) this.log.append(stream, expected, events);
    if (fault.kind === 'timeout') return { outcome: 'timeout', delayMs: 0 };
    // Let the client's request finish leaving its buffers before the connection goes.
    setImmediate(() => this.dropConnections());
    return { outcome: 'dropped', delayMs: 0 };
  }

  /**
   * RpcExceptions.LeaderInfo: NotFound "Leader info available" with the leader's HTTP endpoint in
   * the trailers, which the client turns into NotLeaderError and reconnects to
   * (dist/utils/CommandError.js, dist/Client/index.js shouldReconnect). A node that knows no
   * leader names itself (LeaderInfoProvider falls back to the node's own gossip advertise info).
   */
  private notLeader(): grpc.ServiceError {
    const leader = this.options.leader?.() ?? this;
    return serviceError(grpc.status.NOT_FOUND, 'Leader info available', {
      exception: 'not-leader',
      'leader-endpoint-host': '127.0.0.1',
      'leader-endpoint-port': String(leader.port),
    });
  }

  private get maxAppendSize(): number {
    return this.options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  }

  // ---------------------------------------------------------------- reads

  private async read(call: grpc.ServerWritableStream<ReadReq, ReadResp>): Promise<void> {
    const options = call.request.getOptions();
    if (!options) throw serviceError(grpc.status.UNKNOWN, 'Exception was thrown by handler.');
    // Follower reads are served unless the call requires the leader (HandleAsNonLeader for reads).
    // A real follower may lag the leader; the double's nodes share one log and never do.
    if (this.role !== 'leader' && requiresLeaderOf(call.metadata)) throw this.notLeader();
    if (!options.getUuidOption()?.hasString()) {
      throw unimplemented('structured UUIDs (the client always asks for strings)');
    }
    const Case = ReadReq.Options;
    const where = options.getStreamOptionCase();
    const count = options.getCountOptionCase();
    const backwards = options.getReadDirection() === Case.ReadDirection.BACKWARDS;
    const filtered = options.getFilterOptionCase() === Case.FilterOptionCase.FILTER;
    if (where === Case.StreamOptionCase.STREAM && count === Case.CountOptionCase.COUNT) {
      if (filtered) throw unimplemented('filtered stream reads');
      return this.readStream(call, options, backwards);
    }
    if (where === Case.StreamOptionCase.ALL && count === Case.CountOptionCase.COUNT) {
      if (filtered || backwards) throw unimplemented('filtered or backwards $all reads');
      return this.readAll(call, options);
    }
    if (where === Case.StreamOptionCase.ALL && count === Case.CountOptionCase.SUBSCRIPTION) {
      return this.subscribeToAll(call, options);
    }
    throw unimplemented('stream subscriptions');
  }

  /** Enumerator.ReadStreamForwards / ReadStreamBackwards. */
  private async readStream(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
    backwards: boolean,
  ): Promise<void> {
    const streamOptions = options.getStream() as ReadReq.Options.StreamOptions;
    const identifier = streamOptions.getStreamIdentifier();
    const records = this.log.stream(streamName(identifier));
    if (!records) {
      // ReadStreamResult.NoStream: a StreamNotFound message, then the call ends OK.
      const response = new ReadResp();
      const notFound = new ReadResp.StreamNotFound();
      notFound.setStreamIdentifier(identifier);
      response.setStreamNotFound(notFound);
      await send(call, response);
      call.end();
      return;
    }
    const { RevisionOptionCase } = ReadReq.Options.StreamOptions;
    const last = records.length - 1;
    const revisionCase = streamOptions.getRevisionOptionCase();
    const asked =
      revisionCase === RevisionOptionCase.REVISION
        ? Number(streamOptions.getRevision())
        : revisionCase === RevisionOptionCase.END
          ? last
          : 0;
    let left = BigInt(options.getCount());
    if (backwards) {
      for (let revision = Math.min(asked, last); revision >= 0 && left > 0n; revision--, left--) {
        if (!(await send(call, eventResponse(records[revision] as LogRecord)))) return;
      }
    } else {
      for (let revision = asked; revision <= last && left > 0n; revision++, left--) {
        if (!(await send(call, eventResponse(records[revision] as LogRecord)))) return;
      }
    }
    call.end();
  }

  /** Enumerator.ReadAllForwards: from a position, the event at it included. */
  private async readAll(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
  ): Promise<void> {
    let index = this.startIndex(options.getAll() as ReadReq.Options.AllOptions, true);
    let left = BigInt(options.getCount());
    for (; index < this.log.length && left > 0n; index++, left--) {
      if (!(await send(call, eventResponse(this.log.at(index) as LogRecord)))) return;
    }
    call.end();
  }

  /**
   * Enumerator.AllSubscription(Filtered): a confirmation; events strictly after the checkpoint;
   * with a filter, a checkpoint after every `interval` events considered (interval =
   * checkpointIntervalMultiplier x max search window, the window 32 when the client sends
   * `count`) and one when catch-up reaches the end; then CaughtUp, then live events and
   * checkpoints (SubscriptionsService.ProcessEventCommited counts every event, passing or not).
   */
  private async subscribeToAll(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
  ): Promise<void> {
    const filter = options.hasFilter() ? eventFilter(options.getFilter() as never) : undefined;
    const interval = filter?.interval;
    let index = this.startIndex(options.getAll() as ReadReq.Options.AllOptions, false);
    let considered = 0;
    let live = false;

    const confirmation = new ReadResp();
    const confirmed = new ReadResp.SubscriptionConfirmation();
    confirmed.setSubscriptionId(randomUUID());
    confirmation.setConfirmation(confirmed);
    if (!(await send(call, confirmation))) return;

    while (!call.cancelled) {
      let last: LogRecord | undefined;
      while (index < this.log.length) {
        const record = this.log.at(index++) as LogRecord;
        last = record;
        if (!filter || filter.allows(record)) {
          if (!(await send(call, eventResponse(record)))) return;
        }
        if (interval !== undefined && ++considered >= interval) {
          considered = 0;
          if (!(await send(call, checkpointResponse(record.position)))) return;
        }
      }
      if (!live) {
        live = true;
        // The server checkpoints at the read's CurrentPos here; the double at the last event
        // considered, which is no later. The client passes checkpoints on only to a filter's
        // checkpointReached callback, which the adapter does not set.
        if (interval !== undefined && last !== undefined) {
          if (!(await send(call, checkpointResponse(last.position)))) return;
        }
        const caughtUp = new ReadResp();
        caughtUp.setCaughtUp(new ReadResp.CaughtUp());
        if (!(await send(call, caughtUp))) return;
      }
      await nextCommitOrCancel(this.log, call);
    }
  }

  private startIndex(all: ReadReq.Options.AllOptions, inclusive: boolean): number {
    const { AllOptionCase } = ReadReq.Options.AllOptions;
    switch (all.getAllOptionCase()) {
      case AllOptionCase.POSITION: {
        // The double does not check that the position is an event's, as the server would.
        const position = all.getPosition() as ReadReq.Options.Position;
        return this.log.indexFrom(BigInt(position.getCommitPosition()), inclusive);
      }
      case AllOptionCase.END:
        return this.log.length;
      default:
        return 0;
    }
  }

  // ---------------------------------------------------------------- cluster

  private clusterInfo(): ClusterInfo {
    const info = new ClusterInfo();
    const members = this.options.gossip?.() ?? [this];
    info.setMembersList(
      members.map((node) => {
        const member = new MemberInfo();
        const id = new UUID();
        id.setString(node.instanceId);
        member.setInstanceId(id);
        member.setTimeStamp(String(BigInt(Date.now()) * 10_000n));
        member.setState(node.advertisedState ?? stateOf(node.role));
        member.setIsAlive(true);
        const endpoint = new EndPoint();
        endpoint.setAddress('127.0.0.1');
        endpoint.setPort(node.port);
        member.setHttpEndPoint(endpoint);
        return member;
      }),
    );
    return info;
  }
}

function stateOf(role: NodeRole): MemberInfo.VNodeState {
  if (role === 'leader') return VNodeState.LEADER;
  if (role === 'follower') return VNodeState.FOLLOWER;
  return VNodeState.READONLYREPLICA;
}

/**
 * ServerFeatures.cs lists every client-facing method, lower case, with features for Streams.Read
 * ("position", "events") and BatchAppend ("deadline_duration"). The double lists only what it
 * serves; the client looks up nothing else the adapter needs.
 */
function supportedMethods(): SupportedMethods {
  const methods = new SupportedMethods();
  methods.setEventStoreServerVersion('24.10.0');
  const add = (service: string, method: string, features: string[] = []) => {
    const supported = new SupportedMethod();
    supported.setServiceName(service);
    supported.setMethodName(method);
    supported.setFeaturesList(features);
    methods.addMethods(supported);
  };
  add('event_store.client.streams.streams', 'read', ['position', 'events']);
  add('event_store.client.streams.streams', 'append');
  add('event_store.client.streams.streams', 'batchappend', ['deadline_duration']);
  add('event_store.client.gossip.gossip', 'read');
  add('event_store.client.server_features.serverfeatures', 'getsupportedmethods');
  return methods;
}

// ---------------------------------------------------------------- messages

type Result = (response: BatchAppendResp) => void;

interface PendingWrite {
  readonly stream: string;
  readonly expected: bigint;
  readonly events: ProposedEvent[];
  size: number;
}

function isNotLeader(error: unknown): boolean {
  return (
    error instanceof Error &&
    'metadata' in error &&
    (error as grpc.ServiceError).metadata.get('exception')[0] === 'not-leader'
  );
}

function streamName(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function streamIdentifier(name: string): StreamIdentifier {
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Buffer.from(name, 'utf8'));
  return identifier;
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The server requires the `type` and `content-type` metadata (RequiredMetadataPropertyMissing)
 * and stores the id as a Guid, which it prints back lower case.
 */
function proposed(
  message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage,
): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  for (const [name, value] of [
    ['type', type],
    ['content-type', contentType],
  ]) {
    if (value === undefined) {
      throw serviceError(
        grpc.status.INVALID_ARGUMENT,
        `Required Metadata Property '${name}' is missing`,
        { exception: 'missing-required-metadata-property' },
      );
    }
  }
  const id = message.getId();
  if (!id?.hasString() || !UUID_TEXT.test(id.getString())) {
    throw unimplemented('structured or malformed event ids');
  }
  return {
    id: id.getString().toLowerCase(),
    type: type as string,
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/** Event.SizeOnDisk. */
function sizeOnDisk(event: ProposedEvent): number {
  return event.data.length + event.metadata.length + event.type.length * 2;
}

function appendExpected(options: AppendReq.Options): bigint {
  const Case = AppendReq.Options.ExpectedStreamRevisionCase;
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.REVISION:
      return BigInt(options.getRevision());
    case Case.NO_STREAM:
      return EXPECTED_NO_STREAM;
    case Case.STREAM_EXISTS:
      return EXPECTED_STREAM_EXISTS;
    case Case.ANY:
      return EXPECTED_ANY;
    default:
      throw serviceError(grpc.status.INVALID_ARGUMENT, 'ExpectedStreamRevision not set');
  }
}

function batchExpected(options: BatchAppendReq.Options): bigint {
  const Case = BatchAppendReq.Options.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case Case.STREAM_POSITION:
      return BigInt(options.getStreamPosition());
    case Case.NO_STREAM:
      return EXPECTED_NO_STREAM;
    case Case.STREAM_EXISTS:
      return EXPECTED_STREAM_EXISTS;
    case Case.ANY:
      return EXPECTED_ANY;
    default:
      throw serviceError(grpc.status.INVALID_ARGUMENT, 'ExpectedStreamPosition not set');
  }
}

/** Streams.Append.cs HandleWriteEventsCompleted. */
function appendResponse(outcome: AppendOutcome, options: AppendReq.Options): AppendResp {
  const response = new AppendResp();
  if (outcome.kind === 'wrong_expected_version') {
    // The client reads current_revision / current_no_stream and the expected_* fields; the
    // server also fills the *_20_6_0 fields for older clients, which this client never reads.
    const wrong = new AppendResp.WrongExpectedVersion();
    const Case = AppendReq.Options.ExpectedStreamRevisionCase;
    switch (options.getExpectedStreamRevisionCase()) {
      case Case.ANY:
        wrong.setExpectedAny(new Empty());
        break;
      case Case.STREAM_EXISTS:
        wrong.setExpectedStreamExists(new Empty());
        break;
      case Case.NO_STREAM:
        wrong.setExpectedNoStream(new Empty());
        break;
      default:
        wrong.setExpectedRevision(options.getRevision());
    }
    if (outcome.currentRevision < 0n) wrong.setCurrentNoStream(new Empty());
    else wrong.setCurrentRevision(String(outcome.currentRevision));
    response.setWrongExpectedVersion(wrong);
    return response;
  }
  const success = new AppendResp.Success();
  success.setCurrentRevision(String(outcome.currentRevision));
  const position = new AppendResp.Position();
  position.setCommitPosition(String(outcome.position));
  position.setPreparePosition(String(outcome.position));
  success.setPosition(position);
  response.setSuccess(success);
  return response;
}

/**
 * Streams.BatchAppend.cs ConvertMessage: Success.Completed(commit, prepare, last event number),
 * or Status.WrongExpectedVersion: code AlreadyExists, details event_store.client.WrongExpectedVersion
 * (WrongExpectedVersion.cs: current revision or current_no_stream; expected position, or
 * expected_any / expected_stream_exists / expected_no_stream).
 */
function setBatchResult(response: BatchAppendResp, outcome: AppendOutcome, expected: bigint) {
  if (outcome.kind === 'wrong_expected_version') {
    const details = new WrongExpectedVersion();
    if (outcome.currentRevision < 0n) details.setCurrentNoStream(new WellKnownEmpty());
    else details.setCurrentStreamRevision(String(outcome.currentRevision));
    if (expected === EXPECTED_ANY) details.setExpectedAny(new WellKnownEmpty());
    else if (expected === EXPECTED_NO_STREAM) details.setExpectedNoStream(new WellKnownEmpty());
    else if (expected === EXPECTED_STREAM_EXISTS) {
      details.setExpectedStreamExists(new WellKnownEmpty());
    } else details.setExpectedStreamPosition(String(expected));
    response.setError(status(Code.ALREADY_EXISTS, 'WrongExpectedVersion', details));
    return;
  }
  const success = new BatchAppendResp.Success();
  success.setCurrentRevision(String(outcome.currentRevision));
  const position = new AllStreamPosition();
  position.setCommitPosition(String(outcome.position));
  position.setPreparePosition(String(outcome.position));
  success.setPosition(position);
  response.setSuccess(success);
}

/** Status.cs: a google.rpc.Status whose details pack event_store.client.<message>. */
function status(code: Code, message: string, details: { serializeBinary(): Uint8Array }): Status {
  const result = new Status();
  result.setCode(code);
  result.setMessage(message);
  const any = new Any();
  any.pack(details.serializeBinary(), `event_store.client.${message}`);
  result.setDetails(any);
  return result;
}

/** Streams.Read.cs ConvertToRecordedEvent / ConvertToReadEvent (string UUIDs). */
function eventResponse(record: LogRecord): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  const id = new UUID();
  id.setString(record.id);
  recorded.setId(id);
  recorded.setStreamIdentifier(streamIdentifier(record.stream));
  recorded.setStreamRevision(String(record.revision));
  recorded.setCommitPosition(String(record.position));
  recorded.setPreparePosition(String(record.position));
  const metadata = recorded.getMetadataMap();
  metadata.set('type', record.type);
  metadata.set('created', String(record.created));
  metadata.set('content-type', record.isJson ? 'application/json' : 'application/octet-stream');
  recorded.setData(record.data);
  recorded.setCustomMetadata(record.metadata);
  const event = new ReadResp.ReadEvent();
  event.setEvent(recorded);
  event.setCommitPosition(String(record.position));
  const response = new ReadResp();
  response.setEvent(event);
  return response;
}

function checkpointResponse(position: bigint): ReadResp {
  const checkpoint = new ReadResp.Checkpoint();
  checkpoint.setCommitPosition(String(position));
  checkpoint.setPreparePosition(String(position));
  const response = new ReadResp();
  response.setCheckpoint(checkpoint);
  return response;
}

interface EventFilter {
  readonly interval: number;
  allows(record: LogRecord): boolean;
}

/** Streams.Read.cs ConvertToEventFilter: a regex, or else prefixes, on the type or the stream. */
function eventFilter(options: ReadReq.Options.FilterOptions): EventFilter {
  const Case = ReadReq.Options.FilterOptions.FilterCase;
  const onType = options.getFilterCase() === Case.EVENT_TYPE;
  const expression = (onType ? options.getEventType() : options.getStreamIdentifier()) as
    | ReadReq.Options.FilterOptions.Expression
    | undefined;
  const regex = expression?.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const prefixes = expression?.getPrefixList() ?? [];
  const window = options.hasMax() ? options.getMax() : 32; // Enumerator.ReadBatchSize
  return {
    interval: options.getCheckpointintervalmultiplier() * window,
    allows: (record) => {
      const subject = onType ? record.type : record.stream;
      return regex ? regex.test(subject) : prefixes.some((prefix) => subject.startsWith(prefix));
    },
  };
}

// ---------------------------------------------------------------- transport

function requiresLeaderOf(metadata: grpc.Metadata): boolean {
  // ServiceBase.GetRequiresLeader: the "requires-leader" header parsed as a bool.
  return String(metadata.get('requires-leader')[0] ?? '').toLowerCase() === 'true';
}

/** Writes one message, waiting while the client is slow; false once the call is gone. */
async function send<T>(call: grpc.ServerWritableStream<unknown, T>, message: T): Promise<boolean> {
  if (call.cancelled || call.destroyed) return false;
  if (!call.write(message)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        call.off('drain', done);
        call.off('cancelled', done);
        resolve();
      };
      call.on('drain', done);
      call.on('cancelled', done);
    });
  }
  return !call.cancelled;
}

function nextCommitOrCancel(log: EsdbLog, call: grpc.ServerWritableStream<unknown, unknown>) {
  return new Promise<void>((resolve) => {
    const done = () => {
      stop();
      call.off('cancelled', done);
      resolve();
    };
    const stop = log.onCommit(done);
    call.on('cancelled', done);
    if (call.cancelled) done();
  });
}

function serviceError(
  code: grpc.status,
  details: string,
  trailers: Record<string, string> = {},
): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

function unimplemented(what: string): grpc.ServiceError {
  return serviceError(grpc.status.UNIMPLEMENTED, `the EventStoreDB double does not serve ${what}`);
}

function toServiceError(error: unknown): grpc.ServiceError {
  if (error instanceof Error && 'code' in error && 'metadata' in error) {
    return error as grpc.ServiceError;
  }
  return serviceError(grpc.status.UNKNOWN, String(error));
}
