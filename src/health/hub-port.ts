// HealthPort over the hub client: JupyterHub's API and the user's server through the hub's
// public domain (IAP on GKE), the kernel over its WebSocket.
import { randomUUID } from 'node:crypto';
import { hubRequest, openHubWebSocket, readEventStream, type HubConnection } from '../adapters/hub-client.js';
import type WebSocket from 'ws';
import type { HealthPort } from './check.js';
import { executeRequest, foldMessage, isFinished, newExecution, type Execution } from './kernel-protocol.js';

export interface HubPortOptions {
  requestTimeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  log?: (line: string) => void;
}

export function hubHealthPort(conn: HubConnection, options: HubPortOptions): HealthPort {
  return {
    request: (method, path, body) =>
      hubRequest(conn, method, path, {
        timeoutMs: options.requestTimeoutMs,
        ...(body === undefined ? {} : { body }),
      }),
    events: (path, timeoutMs, onEvent) => readEventStream(conn, path, { timeoutMs, onEvent }),
    openKernel: async (kernelPath, timeoutMs) => {
      const session = randomUUID();
      // Jupyter Server accepts the upgrade only once the kernel has answered a kernel_info
      // request (services/kernels/handlers.py pre_get), so an open channel is a live kernel.
      const socket = await openHubWebSocket(conn, `${kernelPath}/channels?session_id=${session}`, timeoutMs);
      return {
        execute: (code, cellTimeoutMs) => execute(socket, session, code, cellTimeoutMs),
        close: () => {
          socket.removeAllListeners();
          socket.on('error', () => undefined);
          socket.terminate();
        },
      };
    },
    now: options.now,
    sleep: options.sleep,
    ...(options.log === undefined ? {} : { log: options.log }),
  };
}

function execute(socket: WebSocket, session: string, code: string, timeoutMs: number): Promise<Execution> {
  const request = executeRequest(code, randomUUID(), session);
  return new Promise<Execution>((resolve, reject) => {
    let state = newExecution();
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      if (error === undefined) resolve(state);
      else reject(error);
    };
    const timer = setTimeout(
      () => finish(new Error(`no reply from the kernel within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const onMessage = (data: Buffer, isBinary: boolean): void => {
      if (isBinary) return;
      state = foldMessage(state, data.toString('utf8'), request.msgId);
      if (isFinished(state)) finish();
    };
    const onClose = (closeCode: number): void => {
      state = { ...state, died: `its WebSocket closed with code ${closeCode}` };
      finish();
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(request.text, (error) => {
      if (error !== undefined && error !== null) finish(error);
    });
  });
}
