// Which cluster, and which of its hubs, an action covers: from its `cluster` input and its hub
// list (`hubs`, or deploy-hub's `hub`). One place, so every action refuses an unknown cluster or
// hub in the same words, guesses the name meant, and lists the names that exist. Pure: the fleet
// is already loaded and validated (loadFleetForAction).
import { didYouMean } from '../config/did-you-mean.js';
import type { Fleet, LoadedCluster, LoadedHub } from '../config/model.js';
import { HubfleetError } from '../errors.js';

/** Hub names separated by newlines, commas or spaces; duplicates dropped, the order given kept. */
export function splitHubNames(text: string): string[] {
  const names = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [...new Set(names)];
}

/** The `hubs` input of the actions that cover several hubs (verify-cert, smoke-iap): `all`, or names. */
export function parseHubList(text: string): 'all' | string[] {
  const names = splitHubNames(text);
  if (names.length === 1 && names[0] === 'all') return 'all';
  return names;
}

/** The cluster named `cluster`, or an error that guesses the name meant and lists those `configDir` has. */
export function findCluster(fleet: Fleet, cluster: string, configDir: string): LoadedCluster {
  const found = fleet.clusters.find((c) => c.config.name === cluster);
  if (found === undefined) {
    const names = fleet.clusters.map((c) => c.config.name);
    throw new HubfleetError(`no cluster named ${cluster} in ${configDir}${guessed(cluster, names)}`, {
      hint: `use one of: ${someOf(names)}`,
    });
  }
  return found;
}

/** Names shown in a hint: a 1,000-hub cluster's full list would bury the error in the log. */
export const HINT_NAMES = 20;

/** `a, b, c`, or the first HINT_NAMES and how many more; `(none)` for an empty list. */
export function someOf(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  if (names.length <= HINT_NAMES) return names.join(', ');
  return `${names.slice(0, HINT_NAMES).join(', ')} and ${names.length - HINT_NAMES} more`;
}

export interface HubSelectionOptions {
  /** The action's hub list takes `all` (verify-cert, smoke-iap): the hints then offer it. */
  acceptsAll?: boolean;
}

/**
 * The hubs of `cluster` named in `hubs`, in the order given (every hub of the cluster, in config
 * order, for `all`). Every unknown name is reported at once, each with its likely meaning.
 */
export function selectHubsOf(
  cluster: LoadedCluster,
  hubs: 'all' | readonly string[],
  options: HubSelectionOptions = {},
): LoadedHub[] {
  if (hubs === 'all') return [...cluster.hubs];
  if (hubs.length === 0) {
    throw new HubfleetError('input "hubs" names no hub', {
      hint: options.acceptsAll === true ? 'give one hub, a list, or all' : 'give one hub or a list',
    });
  }
  const byName = new Map(cluster.hubs.map((h) => [h.config.name, h]));
  const known = [...byName.keys()];
  const unknown = hubs.filter((h) => !byName.has(h));
  const name = cluster.config.name;
  if (unknown.length > 0) {
    throw new HubfleetError(
      `cluster ${name} has no hub named ${unknown.map((h) => `${h}${guessed(h, known)}`).join(', ')}`,
      {
        hint: `hubs of ${name}: ${someOf(known)}${options.acceptsAll === true ? '; or use all' : ''}`,
      },
    );
  }
  return hubs.map((h) => byName.get(h) as LoadedHub);
}

/** findCluster, then selectHubsOf: the cluster and its hubs named by an action's inputs. */
export function selectClusterHubs(
  fleet: Fleet,
  cluster: string,
  hubs: 'all' | readonly string[],
  configDir: string,
  options: HubSelectionOptions = {},
): { cluster: LoadedCluster; hubs: LoadedHub[] } {
  const found = findCluster(fleet, cluster, configDir);
  return { cluster: found, hubs: selectHubsOf(found, hubs, options) };
}

function guessed(name: string, known: readonly string[]): string {
  const guess = didYouMean(name, known);
  return guess === undefined ? '' : ` (did you mean ${guess}?)`;
}
