import { describeEventStoreContract } from '../event-store.contract';
import { MemoryEventStore } from './memory.event-store';

describeEventStoreContract('memory', async () => new MemoryEventStore(), { durable: false });
