# GitHub OIDC trust and the two roles of decision 0029. The conditions are those of
# aws-actions/configure-aws-credentials README, "Configuring IAM to trust GitHub": StringEquals on
# token.actions.githubusercontent.com:aud (sts.amazonaws.com) and on :sub. The applier trusts only
# the exact subjects of the Environments <cluster>-apply|-staging|-prod on main, with the
# repository's subject template ["repo", "context", "ref"] (README "Security model"); the planner
# any run of the repository (StringLike repo:<owner>/<repo>:*), because it only reads.
data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  github_url = "token.actions.githubusercontent.com"
  applier_subjects = flatten([
    for c in var.clusters : [
      for stage in ["apply", "staging", "prod"] :
      "repo:${var.github_repository}:environment:${c}-${stage}:ref:refs/heads/main"
    ]
  ])
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn
  applier_arn       = "arn:${local.partition}:iam::${var.account}:role/${var.role_name}"
  planner_arn       = "arn:${local.partition}:iam::${var.account}:role/${var.role_name}-planner"
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://${local.github_url}"
  client_id_list = ["sts.amazonaws.com"]
  # No thumbprint_list: IAM verifies GitHub's issuer against its own trusted CAs.
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 0 : 1

  url = "https://${local.github_url}"

  lifecycle {
    postcondition {
      condition     = contains(self.client_id_list, "sts.amazonaws.com")
      error_message = "The account's OIDC provider for ${local.github_url} does not list the audience sts.amazonaws.com, which aws-actions/configure-aws-credentials requests; add it (aws iam add-client-id-to-open-id-connect-provider)."
    }
  }
}

resource "aws_iam_role" "applier" {
  name                 = var.role_name
  description          = "hubfleet applier: apply-iam and deploys, from the Environments <cluster>-apply|-staging|-prod of ${var.github_repository} on main only."
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.github_url}:aud" = "sts.amazonaws.com"
          "${local.github_url}:sub" = local.applier_subjects
        }
      }
    }]
  })
}

resource "aws_iam_role" "planner" {
  name                 = "${var.role_name}-planner"
  description          = "hubfleet planner: read-only, any run of ${var.github_repository} (PR plans, drift, checks)."
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "${local.github_url}:aud" = "sts.amazonaws.com" }
        StringLike   = { "${local.github_url}:sub" = "repo:${var.github_repository}:*" }
      }
    }]
  })
}
