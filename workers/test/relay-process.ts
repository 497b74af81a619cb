// A relay in its own process, so a test can SIGKILL it mid-batch. Settings come from the env:
// DATABASE_URL, AMQP_URL, EXCHANGE, AGGREGATE_ID, BATCH_SIZE.
import { createPrismaClient } from '@minishop/db';
import { OutboxRelay } from '../src/relay/outbox-relay';
import { relayOptions } from './fixtures';

const { DATABASE_URL, EXCHANGE, AGGREGATE_ID, BATCH_SIZE } = process.env;
if (!DATABASE_URL || !EXCHANGE || !AGGREGATE_ID)
  throw new Error('DATABASE_URL, EXCHANGE and AGGREGATE_ID are required');
const relay = new OutboxRelay(
  relayOptions(createPrismaClient(DATABASE_URL), EXCHANGE, [AGGREGATE_ID], { batchSize: Number(BATCH_SIZE ?? 10) }),
);
relay.start();
