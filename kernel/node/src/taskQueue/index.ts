export { createTaskQueue, taskQueueDriverFor } from './createTaskQueue';
export { TaskAbortError } from './shared';
export type {
  CreateTaskQueueOptions,
  EnqueueOptions,
  HandleOptions,
  TaskContext,
  TaskHandler,
  TaskQueue,
  TaskQueueLogger,
  TaskQueueStats,
} from './types';
