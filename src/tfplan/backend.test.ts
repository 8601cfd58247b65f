import { describe, expect, it } from '@jest/globals';
import { clusterConfig } from '../../test/support/fleet.js';
import { backendConfig, declaredBackend } from './backend.js';

describe('declaredBackend', () => {
  it.each([
    ['terraform {\n  backend "gcs" {}\n}\n', 'gcs'],
    ['terraform {\n  # backend "s3" {}\n  backend "local" {}\n}\n', 'local'],
    ['/* backend "s3" {} */\nterraform {}\n', undefined],
  ])('%j → %s', (text, expected) => {
    expect(declaredBackend([text])).toBe(expected);
  });
});

describe('backendConfig', () => {
  it('fills gcs from cluster.yaml', () => {
    expect(backendConfig(clusterConfig('g', 'gcp'), 'gcs', 'terraform/gcp')).toEqual([
      'bucket=g-tfstate',
      'prefix=clusters/g',
    ]);
  });
  it('fills s3 with a state key under the prefix and the cluster region', () => {
    expect(backendConfig(clusterConfig('a', 'aws'), 's3', 'terraform/aws')).toEqual([
      'bucket=a-tfstate',
      'key=clusters/a/terraform.tfstate',
      'region=us-west-2',
    ]);
  });
  it('passes nothing to a local backend', () => {
    expect(backendConfig(clusterConfig('g', 'gcp'), 'local', 'm')).toEqual([]);
  });
  it('refuses a missing or unknown backend and s3 for a GCP cluster', () => {
    expect(() => backendConfig(clusterConfig('g', 'gcp'), undefined, 'm')).toThrow(
      "m declares no backend, so the state would stay on the runner's disk",
    );
    expect(() => backendConfig(clusterConfig('g', 'gcp'), 'azurerm', 'm')).toThrow(
      'm declares a azurerm backend, which hubfleet cannot configure',
    );
    expect(() => backendConfig(clusterConfig('g', 'gcp'), 's3', 'm')).toThrow(
      'm declares an s3 backend, but cluster g has no aws block',
    );
  });
});
