// The remove-hub gate. Design §4 says a hub file deleted without hubfleet:remove-hub keeps the hub
// and its data, and the planner says so (a `keep` removal). But the cluster's Terraform root module
// has one set of resources per hub in its tfvars, so the reviewed plan of that change destroys the
// hub's cloud resources whatever the label says, and apply-iam applies that plan. A running hub
// then loses them: on GKE its DNS record, IAP grants and service account go, and the apply stops
// half-way because Google refuses to release the static IP the hub's load balancer still uses. So an
// unlabelled deletion is refused before anything is applied (docs/decisions/0017).
import type { Fleet, Provider } from '../config/model.js';
import { HubfleetError } from '../errors.js';
import { LABEL_REMOVE_HUB, type ChangePlan } from './change-plan.js';

export interface UnlabelledRemoval {
  cluster: string;
  hub: string;
  /** The deleted file, `config/clusters/<cluster>/hubs/<hub>.yaml`. */
  path: string;
  /** What would break and what to do; complete on its own, as an annotation shows it. */
  message: string;
}

/** What the cluster's Terraform plan destroys when a hub leaves its tfvars (terraform/<provider>). */
const DESTROYED: Record<Provider, { what: string; effect: string }> = {
  gcp: {
    what: 'its static IP, DNS record, IAP access, service account and buckets',
    effect:
      'the hub would go offline, and the apply would stop on the static IP its load balancer still uses',
  },
  aws: {
    what: 'its IRSA role and buckets',
    effect: "its users' pods would lose their cloud identity",
  },
};

export function unlabelledRemovalMessage(provider: Provider): string {
  const { what, effect } = DESTROYED[provider];
  return (
    `deleted without the label ${LABEL_REMOVE_HUB}, so the hub stays installed while the cluster's ` +
    `Terraform plan destroys ${what}: ${effect}. ` +
    `To remove the hub, add the label ${LABEL_REMOVE_HUB} to the pull request: the hub is then ` +
    `uninstalled first, and its namespace and users' home directories are kept. To keep the hub, ` +
    `restore the file. After a merge, every deploy stops here until a pull request that restores ` +
    `the file is merged (a later pull request's label covers only the files it deletes itself: to ` +
    `remove the hub then, restore the file and delete it again with the label).`
  );
}

/**
 * One problem per hub the plan would keep installed although its file is gone (a `keep` removal),
 * in the plan's order. Empty when every deleted hub file carries the label (or none was deleted).
 */
export function unlabelledRemovals(plan: ChangePlan, fleet: Fleet): UnlabelledRemoval[] {
  const providers = new Map(fleet.clusters.map((c) => [c.config.name, c.config.provider]));
  return plan.removals
    .filter((r) => r.action === 'keep')
    .map((r) => {
      const provider = providers.get(r.cluster);
      if (provider === undefined) {
        throw new HubfleetError(`cluster ${r.cluster} is not in the fleet`, {
          hint: 'check the plan against the fleet the plan was made from',
        });
      }
      return {
        cluster: r.cluster,
        hub: r.hub,
        path: `config/clusters/${r.cluster}/hubs/${r.hub}.yaml`,
        message: unlabelledRemovalMessage(provider),
      };
    });
}
