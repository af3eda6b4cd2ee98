/** The page's side of the worker protocol: each request a promise, training events to a listener. */
import type { Method, Methods, Request, Response, TrainEvent } from './protocol.js';

/** Talks to the worker in `./worker.ts`. */
export class WorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  /** @param onEvent - called with each training event. */
  constructor(onEvent: (event: TrainEvent) => void) {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (message: MessageEvent<Response | TrainEvent>) => {
      const data = message.data;
      if ('event' in data) return onEvent(data);
      const waiting = this.pending.get(data.id);
      if (!waiting) return;
      this.pending.delete(data.id);
      if ('error' in data) {
        const error = new Error(data.error.message);
        error.name = data.error.name;
        waiting.reject(error);
      } else waiting.resolve(data.result);
    };
    this.worker.onerror = (event) => {
      const error = new Error(`the worker failed: ${event.message}`);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
  }

  /** Calls `method` in the worker. */
  call<M extends Method>(method: M, args: Methods[M]['args']): Promise<Methods[M]['result']> {
    const id = this.nextId++;
    const request: Request<M> = { id, method, args };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(request);
    });
  }
}
