/**
 * An EventStoreDB test double that speaks the server's gRPC protocol, built from the protocol
 * definitions @eventstore/db-client ships. Test code only. See node.ts for what it serves and
 * log.ts for the append rules it keeps.
 *
 *   const node = await EsdbDoubleNode.start();
 *   const store = new EventStoreDbEventStore(node.connectionString);
 *
 *   const cluster = await EsdbCluster.start(['readOnlyReplica', 'leader']);
 *   const store = new EventStoreDbEventStore(cluster.connectionString);
 */
import { EsdbLog } from './log';
import { EsdbDoubleNode, type NodeOptions, type NodeRole } from './node';

export { EsdbLog, type LogRecord } from './log';
export {
  type AppendAttempt,
  type AppendFault,
  DEFAULT_MAX_APPEND_SIZE,
  EsdbDoubleNode,
  type NodeRole,
  VNodeState,
} from './node';

/**
 * Nodes sharing one log, as replication makes them; each knows which of them is the leader and
 * answers Gossip.Read with all of them. Change a node's `role` to move the leadership, and its
 * `advertisedState` to make gossip say something else than what the node is.
 */
export class EsdbCluster {
  private constructor(readonly nodes: readonly EsdbDoubleNode[]) {}

  static async start(
    roles: readonly NodeRole[],
    options: Omit<NodeOptions, 'name' | 'log' | 'role' | 'leader' | 'gossip'> = {},
  ): Promise<EsdbCluster> {
    const log = new EsdbLog();
    const nodes: EsdbDoubleNode[] = [];
    const leader = () => nodes.find((node) => node.role === 'leader');
    for (const [index, role] of roles.entries()) {
      nodes.push(
        await EsdbDoubleNode.start({
          ...options,
          name: `node${index + 1}`,
          log,
          role,
          leader,
          gossip: () => nodes,
        }),
      );
    }
    return new EsdbCluster(nodes);
  }

  /** Every node as a gossip seed, preferring the leader (the client's default for clusters). */
  get connectionString(): string {
    const hosts = this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
    return `esdb://${hosts}?tls=false&nodePreference=leader`;
  }

  get log(): EsdbLog {
    return (this.nodes[0] as EsdbDoubleNode).log;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }
}
