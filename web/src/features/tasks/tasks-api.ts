import type {
  CommentCreateInput,
  CommentView,
  TaskCreateInput,
  TaskListParams,
  TaskParticipantView,
  TaskPatchInput,
  TaskView,
} from '../../../../src/http/schemas/task.schema';
import { apiRequest } from '../../shared/api/http-client';
import type { Page } from '../../shared/api/types';

export type TaskParticipant = TaskParticipantView;
export type Task = TaskView;
export type TaskComment = CommentView;
/** Body of POST /api/tasks/:id/comments. */
export type CommentDraft = CommentCreateInput;

export const TASKS_KEY = 'tasks';
/** Comments shown in a thread (the server's maximum page). */
export const THREAD_PAGE = 200;

export const tasksApi = {
  list: (params: TaskListParams & Required<Pick<TaskListParams, 'projectId'>>, signal?: AbortSignal) =>
    apiRequest<Page<Task>>('GET', '/api/tasks', { query: params, signal }),
  get: (id: string, signal?: AbortSignal) =>
    apiRequest<Task>('GET', `/api/tasks/${encodeURIComponent(id)}`, { signal }),
  create: (input: TaskCreateInput) => apiRequest<Task>('POST', '/api/tasks', { body: input }),
  update: (id: string, input: TaskPatchInput) =>
    apiRequest<Task>('PATCH', `/api/tasks/${encodeURIComponent(id)}`, { body: input }),
  /** The latest THREAD_PAGE comments, oldest first (a long thread: the last page of it). */
  comments: async (id: string, signal?: AbortSignal) => {
    const path = `/api/tasks/${encodeURIComponent(id)}/comments`;
    const first = await apiRequest<Page<TaskComment>>('GET', path, {
      query: { limit: THREAD_PAGE, offset: 0 },
      signal,
    });
    if (first.total <= THREAD_PAGE) return first;
    return apiRequest<Page<TaskComment>>('GET', path, {
      query: { limit: THREAD_PAGE, offset: first.total - THREAD_PAGE },
      signal,
    });
  },
  /** `key` makes a retried send (double click, lost answer) return the first comment (M31). */
  comment: (id: string, draft: CommentDraft, key: string) =>
    apiRequest<TaskComment>('POST', `/api/tasks/${encodeURIComponent(id)}/comments`, {
      body: draft,
      headers: { 'idempotency-key': key },
    }),
};

/** The file's bytes as base64 (the comment POST carries attachments inside its JSON). */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk)
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** Caps the server enforces (docs/decisions/0006): checked here first to explain them sooner. */
export const ATTACHMENT_TOTAL_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 20;
