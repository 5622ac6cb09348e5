import { TEST } from '@cunyi/event-store';

console.log('hello', TEST);
