import { describe, expect, it } from '@jest/globals';
import { executeRequest, foldMessage, isFinished, newExecution, type Execution } from './kernel-protocol.js';

const ID = 'req-1';
const msg = (type: string, content: Record<string, unknown>, parent = ID, channel = 'iopub'): string =>
  JSON.stringify({
    header: { msg_type: type },
    parent_header: parent === '' ? {} : { msg_id: parent },
    content,
    channel,
  });

const fold = (...texts: string[]): Execution => texts.reduce((s, t) => foldMessage(s, t, ID), newExecution());

describe('executeRequest', () => {
  it('is a Jupyter 5.3 execute_request on the shell channel that stores no history and asks no input', () => {
    const request = JSON.parse(executeRequest('print(1)', ID, 'sess').text) as Record<string, unknown>;
    expect(request).toEqual({
      header: {
        msg_id: ID,
        msg_type: 'execute_request',
        username: 'hubfleet-health',
        session: 'sess',
        date: '1970-01-01T00:00:00.000Z',
        version: '5.3',
      },
      parent_header: {},
      metadata: {},
      content: {
        code: 'print(1)',
        silent: false,
        store_history: false,
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: true,
      },
      channel: 'shell',
      buffers: [],
    });
  });
});

describe('foldMessage', () => {
  it('collects stdout of its own request and finishes on the reply plus idle', () => {
    const state = fold(
      msg('status', { execution_state: 'busy' }),
      msg('stream', { name: 'stdout', text: 'hubfleet-health ' }),
      msg('stream', { name: 'stdout', text: 'other' }, 'someone-else'),
      msg('stream', { name: 'stdout', text: '42\n' }),
      msg('execute_reply', { status: 'ok' }, ID, 'shell'),
    );
    expect([state.stdout, isFinished(state)]).toEqual(['hubfleet-health 42\n', false]);
    const done = foldMessage(state, msg('status', { execution_state: 'idle' }), ID);
    expect(isFinished(done)).toBe(true);
  });

  it('records an error and the reply status', () => {
    const state = fold(
      msg('error', { ename: 'NameError', evalue: "name 'x' is not defined" }),
      msg(
        'execute_reply',
        { status: 'error', ename: 'NameError', evalue: "name 'x' is not defined" },
        ID,
        'shell',
      ),
    );
    expect([state.error, state.reply]).toEqual([
      { ename: 'NameError', evalue: "name 'x' is not defined" },
      { status: 'error', ename: 'NameError', evalue: "name 'x' is not defined" },
    ]);
  });

  it.each(['dead', 'restarting'])('finishes as died on the server’s own %s status (no parent)', (state) => {
    const folded = fold(msg('status', { execution_state: state }, ''));
    expect([folded.died, isFinished(folded)]).toEqual([state, true]);
  });

  it('ignores what is not a message', () => {
    expect(fold('not json', '[]', '{"header": 1}')).toEqual(newExecution());
  });
});
