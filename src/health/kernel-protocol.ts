// The part of the Jupyter messaging protocol (jupyter-client docs, "Messaging in Jupyter", v5.3)
// a health check needs: one execute_request on the shell channel, and the replies and outputs
// that answer it on the shell and iopub channels, as Jupyter Server's kernel WebSocket carries
// them in its default JSON framing (jupyter_server services/kernels/handlers.py, no subprotocol).
// Pure: the WebSocket is the adapter's.

export interface ExecuteRequest {
  msgId: string;
  /** The JSON text to send over the WebSocket. */
  text: string;
}

export function executeRequest(code: string, msgId: string, session: string): ExecuteRequest {
  const message = {
    header: {
      msg_id: msgId,
      msg_type: 'execute_request',
      username: 'hubfleet-health',
      session,
      date: new Date(0).toISOString(),
      version: '5.3',
    },
    parent_header: {},
    metadata: {},
    content: {
      code,
      silent: false,
      store_history: false,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    },
    channel: 'shell',
    buffers: [],
  };
  return { msgId, text: JSON.stringify(message) };
}

/** What has come back for one execute_request so far. */
export interface Execution {
  stdout: string;
  stderr: string;
  reply?: { status: string; ename?: string; evalue?: string };
  error?: { ename: string; evalue: string };
  idle: boolean;
  /** The server said the kernel died or is being restarted (its status message, no parent). */
  died?: string;
}

export const newExecution = (): Execution => ({ stdout: '', stderr: '', idle: false });

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Folds one WebSocket message (JSON text) into `state`; messages for other requests are ignored. */
export function foldMessage(state: Execution, text: string, msgId: string): Execution {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return state;
  }
  if (!isRecord(message) || !isRecord(message.header) || !isRecord(message.content)) return state;
  const type = str(message.header.msg_type);
  const content = message.content;
  const parent = isRecord(message.parent_header) ? str(message.parent_header.msg_id) : '';
  // Jupyter Server reports a kernel that dies with an iopub status of its own making:
  // "restarting" while its restarter tries again, "dead" once it gives up (handlers.py
  // on_kernel_restarted / on_restart_failed). Those carry no parent.
  if (type === 'status' && (content.execution_state === 'dead' || content.execution_state === 'restarting')) {
    return { ...state, died: str(content.execution_state) };
  }
  if (parent !== msgId) return state;
  switch (type) {
    case 'stream':
      return content.name === 'stderr'
        ? { ...state, stderr: state.stderr + str(content.text) }
        : { ...state, stdout: state.stdout + str(content.text) };
    case 'error':
      return { ...state, error: { ename: str(content.ename), evalue: str(content.evalue) } };
    case 'execute_reply':
      return {
        ...state,
        reply: {
          status: str(content.status),
          ...(content.ename === undefined ? {} : { ename: str(content.ename) }),
          ...(content.evalue === undefined ? {} : { evalue: str(content.evalue) }),
        },
      };
    case 'status':
      return content.execution_state === 'idle' ? { ...state, idle: true } : state;
    default:
      return state;
  }
}

/** Finished once the reply is in and the kernel went idle after it (every output flushed). */
export const isFinished = (state: Execution): boolean =>
  state.died !== undefined || (state.reply !== undefined && state.idle);
