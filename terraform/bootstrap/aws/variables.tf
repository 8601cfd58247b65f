# Inputs of the AWS bootstrap. Names follow cluster.yaml where a value ends up there. Each rule
# says what it protects; test/terraform/bootstrap-variables.test.ts runs them with the real terraform.

variable "account" {
  type        = string
  description = "AWS account ID, 12 digits (cluster.yaml aws.account). The provider refuses credentials of another account."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account))
    error_message = "account must be the 12-digit AWS account ID, quoted."
  }
}

variable "region" {
  type        = string
  description = "AWS region (cluster.yaml aws.region)."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region such as us-west-2."
  }
}

variable "github_repository" {
  type        = string
  description = "The fleet repository, \"<owner>/<repo>\": the only repository whose GitHub OIDC tokens the roles trust."

  validation {
    condition     = can(regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be \"<owner>/<repo>\", e.g. example-org/fleet."
  }
}

variable "clusters" {
  type        = list(string)
  description = "hubfleet cluster names (cluster.yaml name) in this account. The applier trusts the Environments <cluster>-apply, <cluster>-staging and <cluster>-prod of each, on main."

  validation {
    condition     = length(var.clusters) > 0 && alltrue([for c in var.clusters : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", c))])
    error_message = "clusters must list at least one cluster name, each a DNS label (lowercase letters, digits, hyphens; at most 63 characters)."
  }
  validation {
    condition     = length(distinct(var.clusters)) == length(var.clusters)
    error_message = "clusters must not repeat a name."
  }
}

variable "state_bucket" {
  type        = string
  description = "Name of the S3 bucket for every Terraform state of the fleet (cluster.yaml terraform.backend.bucket). Globally unique."

  validation {
    condition     = can(regex("^[a-z0-9][-.a-z0-9]{1,61}[a-z0-9]$", var.state_bucket)) && !can(regex("\\.\\.|^xn--|-s3alias$", var.state_bucket))
    error_message = "state_bucket must be an S3 bucket name: 3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }
}

variable "role_name" {
  type        = string
  default     = "hubfleet-deployer"
  description = "Name of the applier role (cluster.yaml aws.roleArn is arn:aws:iam::<account>:role/<name>). The planner is <name>-planner, the name the workflows derive (decision 0029)."

  validation {
    # 64 characters is IAM's limit for role names; the planner appends 8.
    condition     = can(regex("^[\\w+=,.@-]{1,56}$", var.role_name))
    error_message = "role_name must be at most 56 characters of letters, digits and +=,.@_- (the planner role appends \"-planner\" within IAM's 64)."
  }
}

variable "create_oidc_provider" {
  type        = bool
  default     = true
  description = "Create the account's IAM OIDC provider for token.actions.githubusercontent.com; false: an account has at most one per URL, and it exists already (it is read, and must list the audience sts.amazonaws.com)."
}

variable "hosted_zone_domain" {
  type        = string
  default     = null
  description = "DNS name of a public Route 53 zone to create for the hubs, without the trailing dot, e.g. aws.hubs.example.org (cluster.yaml dnsDomain; its ID fills aws.hostedZoneId). null: the zone exists already."

  validation {
    condition     = var.hosted_zone_domain == null || can(regex("^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.hosted_zone_domain))
    error_message = "hosted_zone_domain must be a lowercase DNS name without a trailing dot, e.g. aws.hubs.example.org."
  }
}

variable "hosted_zone_id" {
  type        = string
  default     = null
  description = "ID of an existing Route 53 zone the applier may change records in, when hosted_zone_domain is null. null with no zone: the applier may change records in any zone of the account."

  validation {
    condition     = var.hosted_zone_id == null || (can(regex("^Z[A-Z0-9]{1,31}$", var.hosted_zone_id)) && var.hosted_zone_domain == null)
    error_message = "hosted_zone_id must be a Route 53 zone ID (Z…), and is given only when hosted_zone_domain is not (that one creates the zone)."
  }
}

variable "eks_cluster_name" {
  type        = string
  default     = null
  description = "Name of an existing EKS cluster (cluster.yaml aws.clusterName) to give the applier and planner access entries: cluster admin and view (no Secrets). null on the first apply, before the cluster exists."

  validation {
    condition     = var.eks_cluster_name == null || can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", var.eks_cluster_name))
    error_message = "eks_cluster_name must be an EKS cluster name: letters, digits, hyphens and underscores, starting with a letter or digit, at most 100 characters."
  }
}

variable "create_vpc" {
  type        = bool
  default     = true
  description = "Create a VPC for the EKS cluster: two public subnets (tagged kubernetes.io/role/elb=1 for the hubs' ALBs), two private subnets (kubernetes.io/role/internal-elb=1, nodes and runners) and one NAT gateway."
}

variable "vpc_cidr" {
  type        = string
  default     = "10.30.0.0/16"
  description = "IPv4 range of the created VPC; the four subnets are its first four /20s."

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 18 && tonumber(split("/", var.vpc_cidr)[1]) >= 16
    error_message = "vpc_cidr must be an IPv4 CIDR block from /16 to /18 (AWS allows /16 at most; four /20 subnets need at least a /18)."
  }
}
