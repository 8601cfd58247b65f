# The variables `hubfleet render` writes to <cluster>/terraform.tfvars.json (src/render/tfvars.ts,
# type AwsTfvars). test/terraform/variables.test.ts keeps the two in step: every emitted variable
# is declared here with a matching type, and every variable without a default is emitted.

variable "hubfleet_cluster" {
  description = "hubfleet's name for the cluster (its config directory); used in names and tags."
  type        = string
  nullable    = false
}

variable "account" {
  description = "AWS account (12 digits) that holds the cluster and every hub's resources."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account))
    error_message = "account must be a 12-digit AWS account ID."
  }
}

variable "region" {
  description = "Region of the EKS cluster and the hubs' buckets."
  type        = string
  nullable    = false
}

variable "cluster_name" {
  description = "Name of the existing EKS cluster whose OIDC provider the IRSA roles trust."
  type        = string
  nullable    = false
}

variable "deployer_role_arn" {
  description = "IAM role the runner assumes to deploy (cluster.yaml aws.roleArn); checked for an EKS access entry."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.deployer_role_arn))
    error_message = "deployer_role_arn must be an IAM role ARN."
  }
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone of the hubs' domains."
  type        = string
  nullable    = false
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
    bucket_admin_access    = list(string)
    bucket_readonly_access = list(string)
    irsa_role_name         = string
    irsa_subject           = string
    extra_iam_policy       = string
  }))

  validation {
    condition     = alltrue([for h in var.hubs : contains(["staging", "prod"], h.stage)])
    error_message = "Every hub's stage must be \"staging\" or \"prod\"."
  }

  validation {
    condition     = alltrue(flatten([for h in var.hubs : [for b in values(h.buckets) : b.delete_after_days == null ? true : b.delete_after_days >= 1]]))
    error_message = "delete_after_days must be null (keep objects) or at least 1."
  }

  validation {
    condition     = alltrue([for h in var.hubs : h.extra_iam_policy == null ? true : can(jsondecode(h.extra_iam_policy).Statement)])
    error_message = "extra_iam_policy must be null or a JSON IAM policy document with a Statement."
  }
}

variable "dns_domain" {
  description = "cluster.yaml dnsDomain: the DNS name hubfleet validate checks hub domains against; when set, it must be hosted_zone_id's name. null: not given."
  type        = string
  default     = null
}
