export * from './contract';
export { InProcessQueue } from './in-process';
export { BullMqQueue, redisConnection, startBullMqWorkers } from './bullmq';
