# Inputs of the GCP bootstrap. Names follow cluster.yaml where a value ends up there (snake_case
# of the field). Each rule says what it protects; test/terraform/bootstrap-variables.test.ts runs
# them with the real terraform.

variable "project" {
  type        = string
  description = "GCP project ID (cluster.yaml gcp.project)."

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.project))
    error_message = "project must be a GCP project ID: 6–30 characters, lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "Region of the network, the runner cluster and (by default) the state bucket (cluster.yaml gcp.region)."

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a GCP region such as us-central1."
  }
}

variable "github_repository" {
  type        = string
  description = "The fleet repository, \"<owner>/<repo>\": the only repository whose GitHub OIDC tokens the Workload Identity provider accepts."

  validation {
    condition     = can(regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be \"<owner>/<repo>\", e.g. example-org/fleet."
  }
}

variable "github_repository_id" {
  type        = string
  description = "Numeric ID of the fleet repository (gh api repos/<owner>/<repo> --jq .id). A deleted and re-created repository of the same name gets a new ID, so the condition on it keeps a squatter out."

  validation {
    condition     = can(regex("^[0-9]{1,20}$", var.github_repository_id))
    error_message = "github_repository_id must be the repository's numeric ID (gh api repos/<owner>/<repo> --jq .id), not its name."
  }
}

variable "clusters" {
  type        = list(string)
  description = "hubfleet cluster names (cluster.yaml name) in this project. The applier trusts the Environments <cluster>-apply, <cluster>-staging and <cluster>-prod of each, on main."

  validation {
    condition     = length(var.clusters) > 0 && alltrue([for c in var.clusters : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", c))])
    error_message = "clusters must list at least one cluster name, each a DNS label (lowercase letters, digits, hyphens; at most 63 characters)."
  }
  validation {
    condition     = length(distinct(var.clusters)) == length(var.clusters)
    error_message = "clusters must not repeat a name."
  }
  validation {
    # google.subject is limited to 127 bytes (Workload Identity Federation, attribute mapping);
    # the longest subject the applier trusts is the -staging one.
    condition = alltrue([
      for c in var.clusters : length("repo:${var.github_repository}:environment:${c}-staging:ref:refs/heads/main") <= 127
    ])
    error_message = "a subject repo:<owner>/<repo>:environment:<cluster>-staging:ref:refs/heads/main is longer than the 127 bytes Workload Identity Federation allows for google.subject; use a shorter cluster name."
  }
}

variable "state_bucket" {
  type        = string
  description = "Name of the GCS bucket for every Terraform state of the fleet (cluster.yaml terraform.backend.bucket). Globally unique."

  validation {
    condition     = can(regex("^[a-z0-9][-_a-z0-9]{1,61}[a-z0-9]$", var.state_bucket)) && !can(regex("^goog|google", var.state_bucket))
    error_message = "state_bucket must be 3–63 lowercase letters, digits, hyphens or underscores, start and end with a letter or digit, and not start with \"goog\" or contain \"google\"."
  }
}

variable "state_bucket_location" {
  type        = string
  default     = null
  description = "Location of the state bucket; default the region."
}

variable "workload_identity_pool_id" {
  type        = string
  default     = "github"
  description = "ID of the Workload Identity pool for GitHub Actions."

  validation {
    condition     = can(regex("^[a-z0-9][-a-z0-9]{2,30}[a-z0-9]$", var.workload_identity_pool_id)) && !startswith(var.workload_identity_pool_id, "gcp-")
    error_message = "workload_identity_pool_id must be 4–32 lowercase letters, digits and hyphens, and must not start with \"gcp-\"."
  }
}

variable "workload_identity_provider_id" {
  type        = string
  default     = "github"
  description = "ID of the GitHub OIDC provider in the pool."

  validation {
    condition     = can(regex("^[a-z0-9][-a-z0-9]{2,30}[a-z0-9]$", var.workload_identity_provider_id)) && !startswith(var.workload_identity_provider_id, "gcp-")
    error_message = "workload_identity_provider_id must be 4–32 lowercase letters, digits and hyphens, and must not start with \"gcp-\"."
  }
}

variable "deployer_account_id" {
  type        = string
  default     = "hubfleet-deployer"
  description = "Account ID of the applier service account (cluster.yaml gcp.deployerServiceAccount is <id>@<project>.iam.gserviceaccount.com)."

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.deployer_account_id))
    error_message = "deployer_account_id must be 6–30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "applier_creates_clusters" {
  type        = bool
  default     = true
  description = "Whether any cluster in this project has gcp.createCluster: true. Adds what creating one needs to the applier: network and firewall admin, acting as the node service account, and granting the node roles."
}

variable "create_network" {
  type        = bool
  default     = true
  description = "Create the VPC, a subnet for the hub clusters (with pods and services ranges and Private Google Access) and a subnet for the runner cluster with its own Cloud NAT."
}

variable "network" {
  type        = string
  default     = "hubfleet"
  description = "Name of the VPC (cluster.yaml gcp.network)."

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.network))
    error_message = "network must be a GCP resource name: lowercase letters, digits and hyphens, starting with a letter, at most 63 characters."
  }
}

variable "ip_ranges" {
  type = object({
    hubs_nodes       = string
    hubs_pods        = string
    hubs_services    = string
    hubs_master      = string
    runners_nodes    = string
    runners_pods     = string
    runners_services = string
  })
  default = {
    hubs_nodes       = "10.10.0.0/20"
    hubs_pods        = "10.64.0.0/14"
    hubs_services    = "10.10.16.0/20"
    hubs_master      = "172.16.0.0/28"
    runners_nodes    = "10.20.0.0/22"
    runners_pods     = "10.68.0.0/17"
    runners_services = "10.20.4.0/22"
  }
  description = "IPv4 ranges of the created network: the hub subnet's primary, pods and services ranges, the /28 reserved for the first hub cluster's control plane (cluster.yaml gcp.masterIpv4CidrBlock), and the runner subnet's ranges."

  validation {
    condition     = alltrue([for r in values(var.ip_ranges) : can(cidrhost(r, 0)) && cidrhost(r, 0) == split("/", r)[0]])
    error_message = "every ip_ranges value must be an IPv4 CIDR block that starts at its network address, e.g. 10.10.0.0/20."
  }
  validation {
    condition     = endswith(var.ip_ranges.hubs_master, "/28")
    error_message = "ip_ranges.hubs_master must be a /28 (GKE's control plane range)."
  }
}

variable "dns_zone" {
  type        = string
  default     = null
  description = "Name of a Cloud DNS managed zone to create (cluster.yaml gcp.dnsZone); null: the zone exists already or is managed elsewhere."

  validation {
    condition     = var.dns_zone == null || can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.dns_zone))
    error_message = "dns_zone must be a DNS label (lowercase letters, digits, hyphens)."
  }
}

variable "dns_domain" {
  type        = string
  default     = null
  description = "DNS name of the zone without the trailing dot, e.g. hubs.example.org (cluster.yaml dnsDomain). Required with dns_zone."

  validation {
    condition     = (var.dns_zone == null) == (var.dns_domain == null)
    error_message = "dns_zone and dns_domain go together: set both to create the zone, or neither."
  }
  validation {
    condition     = var.dns_domain == null || can(regex("^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.dns_domain))
    error_message = "dns_domain must be a lowercase DNS name without a trailing dot, e.g. hubs.example.org."
  }
}

variable "runner_cluster" {
  type = object({
    name                   = string
    allow_external_traffic = bool
  })
  default = {
    name                   = "hubfleet-runners"
    allow_external_traffic = true
  }
  description = "The small private GKE Autopilot cluster the runner scale sets live in; null: none (the runners' place is found elsewhere). allow_external_traffic opens its IAM-gated DNS endpoint to callers outside the VPC (day zero: installing the runners); set false afterwards if nobody needs it."

  validation {
    condition     = var.runner_cluster == null || can(regex("^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$", var.runner_cluster.name))
    error_message = "runner_cluster.name must be a GKE cluster name: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters."
  }
  validation {
    condition     = var.runner_cluster == null || var.create_network
    error_message = "runner_cluster needs create_network = true (it lives in the runner subnet this module makes); set runner_cluster = null to place the runners yourself."
  }
}
