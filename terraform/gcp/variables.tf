# The variables `hubfleet render` writes to <cluster>/terraform.tfvars.json (src/render/tfvars.ts,
# type GcpTfvars). test/terraform/variables.test.ts keeps the two in step: every emitted variable
# is declared here with a matching type, and every variable without a default is emitted.

variable "hubfleet_cluster" {
  description = "hubfleet's name for the cluster (its config directory); used in resource names and labels."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.hubfleet_cluster))
    error_message = "hubfleet_cluster must be a DNS label (it is part of labels and role IDs)."
  }
}

variable "project" {
  description = "GCP project that holds the cluster and every hub's resources."
  type        = string
  nullable    = false
}

variable "project_number" {
  description = "Numeric ID of the project."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]+$", var.project_number))
    error_message = "project_number must be the project's numeric ID."
  }
}

variable "region" {
  description = "Region of the cluster and the location of the hubs' buckets."
  type        = string
  nullable    = false
}

variable "zone" {
  description = "Zone of a zonal cluster; null for a regional cluster (located in var.region)."
  type        = string
}

variable "cluster_name" {
  description = "GKE cluster name: the cluster created here (create_cluster = true) or the existing one adopted."
  type        = string
  nullable    = false
}

variable "network" {
  description = "VPC network of the cluster."
  type        = string
  nullable    = false
}

variable "private_endpoint" {
  description = "Control plane reachable only on its private endpoint (the runners sit inside the VPC)."
  type        = bool
  nullable    = false
}

variable "dns_zone" {
  description = "Cloud DNS managed zone (its name, not its DNS name) that gets one A record per hub."
  type        = string
  nullable    = false
}

variable "create_cluster" {
  description = "true: this state creates and owns the private GKE cluster; false: adopt the existing cluster cluster_name (read only). From gcp.createCluster (default false)."
  type        = bool
  nullable    = false
}

variable "master_authorized_networks" {
  description = "CIDR blocks allowed to reach the control plane of a created cluster, besides the cluster's own subnet and pod range (network.tf). From gcp.masterAuthorizedNetworks; empty: none."
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  nullable = false

  validation {
    condition     = alltrue([for n in var.master_authorized_networks : can(cidrhost(n.cidr_block, 0))])
    error_message = "Every master_authorized_networks cidr_block must be a CIDR block."
  }
}

variable "hubs" {
  description = "Every hub of the cluster, keyed by hub name."
  nullable    = false
  type = map(object({
    namespace = string
    ksa_name  = string
    domain    = string
    stage     = string
    buckets = map(object({
      bucket_name       = string
      delete_after_days = number
    }))
    bucket_admin_access      = list(string)
    bucket_readonly_access   = list(string)
    static_ip_name           = string
    gcp_service_account_id   = string
    workload_identity_member = string
    iap_members              = list(string)
    requester_pays           = bool
  }))

  validation {
    condition     = alltrue([for h in var.hubs : contains(["staging", "prod"], h.stage)])
    error_message = "Every hub's stage must be \"staging\" or \"prod\"."
  }

  validation {
    # The domain is quoted inside the IAP condition expression: only plain lowercase DNS names.
    condition     = alltrue([for h in var.hubs : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", h.domain))])
    error_message = "Every hub's domain must be a lowercase DNS name without a wildcard."
  }

  validation {
    condition     = alltrue(flatten([for h in var.hubs : [for b in values(h.buckets) : b.delete_after_days == null ? true : b.delete_after_days >= 1]]))
    error_message = "delete_after_days must be null (keep objects) or at least 1."
  }
}

# Settings of a cluster this state creates (create_cluster = true), from cluster.yaml
# gcp.* (src/render/tfvars.ts fills in the defaults of src/config/cluster-defaults.ts). An adopted
# cluster ignores them.

variable "master_ipv4_cidr_block" {
  description = "/28 range of a created cluster's control plane in the VPC (gcp.masterIpv4CidrBlock); null for an adopted cluster."
  type        = string

  validation {
    condition     = var.master_ipv4_cidr_block == null || can(regex("^[0-9.]+/28$", var.master_ipv4_cidr_block)) && can(cidrhost(var.master_ipv4_cidr_block, 0))
    error_message = "master_ipv4_cidr_block must be an IPv4 /28 block."
  }

  validation {
    condition     = !var.create_cluster || var.master_ipv4_cidr_block != null
    error_message = "A created cluster (create_cluster = true) needs master_ipv4_cidr_block: set gcp.masterIpv4CidrBlock, a /28 no other cluster in the VPC uses."
  }
}

variable "subnetwork" {
  description = "Subnetwork of the cluster's nodes (gcp.subnetwork); required for a created cluster, checked for Private Google Access."
  type        = string

  validation {
    condition     = !var.create_cluster || var.subnetwork != null
    error_message = "A created cluster (create_cluster = true) needs subnetwork: set gcp.subnetwork."
  }
}

variable "cluster_secondary_range_name" {
  description = "Secondary range of the subnetwork for pods (gcp.podsRangeName); null: GKE creates one."
  type        = string
}

variable "services_secondary_range_name" {
  description = "Secondary range of the subnetwork for services (gcp.servicesRangeName); null: GKE creates one."
  type        = string

  validation {
    condition     = (var.cluster_secondary_range_name == null) == (var.services_secondary_range_name == null)
    error_message = "Name both secondary ranges (pods and services) or neither."
  }
}

variable "release_channel" {
  description = "GKE release channel of a created cluster (gcp.releaseChannel, default REGULAR)."
  type        = string
  nullable    = false

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE", "EXTENDED"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR, STABLE or EXTENDED."
  }
}

variable "node_pool" {
  description = "The core node pool of a created cluster (gcp.nodePool). Node counts are per zone of the cluster's location."
  type = object({
    machine_type   = string
    min_node_count = number
    max_node_count = number
    disk_size_gb   = number
  })
  nullable = false

  validation {
    condition     = var.node_pool.min_node_count >= 0 && var.node_pool.max_node_count >= 1 && var.node_pool.min_node_count <= var.node_pool.max_node_count
    error_message = "node_pool needs 0 <= min_node_count <= max_node_count and max_node_count >= 1."
  }

  validation {
    condition     = var.node_pool.disk_size_gb >= 10
    error_message = "node_pool.disk_size_gb must be at least 10 (GKE's minimum boot disk)."
  }
}

variable "smoke_identity" {
  description = "IAM member smoke-iap's and hub-health's ID token belongs to (cluster.yaml gcp.iapProberServiceAccount, default the deployer service account; the HUBFLEET_IAP_PROBER secret names the same one): granted IAP access to each hub with the hub's request.host condition, so the smoke test's authorised 200 is possible."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^serviceAccount:[^@\\s]+@[^@\\s]+$", var.smoke_identity))
    error_message = "smoke_identity must be serviceAccount:<email>."
  }
}

variable "dns_domain" {
  description = "cluster.yaml dnsDomain: the DNS name hubfleet validate checks hub domains against; when set, it must be dns_zone's DNS name. null: not given."
  type        = string
  default     = null
}

# Google APIs inside a VPC Service Controls perimeter (restricted-apis.tf), from cluster.yaml
# gcp.restrictedGoogleApis and gcp.vpcServiceControls.

variable "restricted_google_apis" {
  description = "true: private Cloud DNS zones for googleapis.com, gcr.io and pkg.dev bound to var.network answer with restricted.googleapis.com (199.36.153.4/30), and a route sends that range to Google (gcp.restrictedGoogleApis, default false)."
  type        = bool
  nullable    = false
}

variable "vpc_service_controls" {
  description = "The existing service perimeter the project belongs to (gcp.vpcServiceControls); manage_membership: this state adds the project to it. null: no perimeter."
  type = object({
    perimeter         = string
    manage_membership = bool
  })

  validation {
    condition     = var.vpc_service_controls == null || can(regex("^accessPolicies/[0-9]+/servicePerimeters/[A-Za-z][A-Za-z0-9_]{0,49}$", try(var.vpc_service_controls.perimeter, "")))
    error_message = "vpc_service_controls.perimeter must be accessPolicies/<number>/servicePerimeters/<name>."
  }

  validation {
    condition     = var.vpc_service_controls == null || var.restricted_google_apis
    error_message = "A project inside a perimeter needs restricted_google_apis: without the restricted VIP, nodes and pods reach Google APIs the perimeter does not protect."
  }
}
