// The code the health check runs in the health user's kernel, and the output each cell must print.
// A cell prints one line that is checked exactly; anything else (an exception, no output, other
// output) fails its step. The optional cells clean up after themselves in `finally`, so an object
// or a Dask cluster is removed even when the check fails half-way.

export type CellStep = 'execute' | 'scratch' | 'dask';

export interface Cell {
  step: CellStep;
  code: string;
  /** The exact stdout the cell must produce. */
  expect: string;
}

/** Proves the kernel runs Python and returns output over the WebSocket. */
export const EXECUTE_CELL: Cell = {
  step: 'execute',
  code: 'print("hubfleet-health", 6 * 7)',
  expect: 'hubfleet-health 42\n',
};

/**
 * Writes, reads and deletes one object under $SCRATCH_BUCKET with the pod's own identity
 * (Workload Identity / IRSA), through fsspec (gcsfs / s3fs, as the pangeo images ship them).
 */
export const SCRATCH_CELL: Cell = {
  step: 'scratch',
  code: [
    'import os, uuid, fsspec',
    'url = os.environ["SCRATCH_BUCKET"].rstrip("/") + "/hubfleet-health-" + uuid.uuid4().hex',
    'fs, path = fsspec.core.url_to_fs(url)',
    'try:',
    '    fs.pipe(path, b"hubfleet-health")',
    '    print("scratch", fs.cat(path) == b"hubfleet-health")',
    'finally:',
    '    if fs.exists(path):',
    '        fs.rm(path)',
  ].join('\n'),
  expect: 'scratch True\n',
};

/**
 * Creates a Dask cluster through the hub's gateway (DASK_GATEWAY__* from the rendered values),
 * scales it to one worker, computes on it and shuts it down whatever happened.
 */
export function daskCell(workerTimeoutSeconds: number): Cell {
  return {
    step: 'dask',
    code: [
      'from dask_gateway import Gateway',
      'cluster = Gateway().new_cluster()',
      'try:',
      '    cluster.scale(1)',
      '    client = cluster.get_client()',
      `    client.wait_for_workers(1, timeout=${workerTimeoutSeconds})`,
      '    print("dask", client.submit(sum, range(10)).result())',
      'finally:',
      '    cluster.shutdown()',
    ].join('\n'),
    expect: 'dask 45\n',
  };
}
