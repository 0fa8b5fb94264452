export { createTaskQueue, taskQueueDriverFor } from './createTaskQueue';
export { TaskAbortError } from './shared';
export type {
  CreateTaskQueueOptions,
  EnqueueItem,
  EnqueueOptions,
  HandleOptions,
  TaskContext,
  TaskHandler,
  TaskQueue,
  TaskQueueLogger,
  TaskQueueStats,
} from './types';
