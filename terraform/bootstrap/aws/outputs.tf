# What cluster.yaml and the fleet repository's settings need, named after the cluster.yaml field
# each fills (snake_case of its path; terraform.backend.bucket → terraform_backend_bucket).
# `terraform output -json` is the documented input of `hubfleet init`; docs/zero-to-a-first-hub.md
# lists every output. null: this module did not create the thing (a variable switched it off).

output "account" {
  description = "cluster.yaml aws.account: the 12-digit account ID."
  value       = var.account
}

output "region" {
  description = "cluster.yaml aws.region: the region."
  value       = var.region
}

output "role_arn" {
  description = "cluster.yaml aws.roleArn: the applier role, trusted only for the Environments' subjects on main."
  value       = aws_iam_role.applier.arn
}

output "planner_role_arn" {
  description = "Not a cluster.yaml field: the read-only planner, <role_arn>-planner, the ARN the workflows derive (AWS_PLANNER_ROLE)."
  value       = aws_iam_role.planner.arn
}

output "hosted_zone_id" {
  description = "cluster.yaml aws.hostedZoneId: the hubs' Route 53 zone; the given hosted_zone_id, or null when neither a zone was created nor one given."
  value       = local.zone_id
}

output "dns_domain" {
  description = "cluster.yaml dnsDomain: the created zone's name without the trailing dot; null when no zone was created."
  value       = var.hosted_zone_domain
}

output "dns_name_servers" {
  description = "Not a cluster.yaml field: the NS records to delegate dns_domain to at the registrar or parent zone (manual step); [] when no zone was created."
  value       = var.hosted_zone_domain == null ? [] : aws_route53_zone.hubs[0].name_servers
}

output "terraform_backend_bucket" {
  description = "cluster.yaml terraform.backend.bucket: the state bucket (versioned, public access blocked, SSE-S3, TLS only; S3 native locking, no DynamoDB table)."
  value       = aws_s3_bucket.state.bucket
}

output "oidc_provider_arn" {
  description = "Not a cluster.yaml field: the account's IAM OIDC provider for token.actions.githubusercontent.com."
  value       = local.oidc_provider_arn
}

output "vpc_id" {
  description = "Not a cluster.yaml field: the VPC to create the EKS cluster in; null when create_vpc = false."
  value       = var.create_vpc ? aws_vpc.fleet[0].id : null
}

output "public_subnet_ids" {
  description = "Not a cluster.yaml field: the public subnets (kubernetes.io/role/elb=1, the hubs' ALBs); [] when create_vpc = false."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Not a cluster.yaml field: the private subnets (kubernetes.io/role/internal-elb=1, EKS nodes and runners); [] when create_vpc = false."
  value       = aws_subnet.private[*].id
}

output "github_repository" {
  description = "Fleet repository settings: the only repository the roles trust, <owner>/<repo>."
  value       = var.github_repository
}

output "github_environments" {
  description = "Fleet repository settings: the Environments to create, each allowing only main: <cluster>-apply, <cluster>-staging, <cluster>-prod for every cluster in var.clusters."
  value       = flatten([for c in var.clusters : ["${c}-apply", "${c}-staging", "${c}-prod"]])
}

output "github_oidc_subject_claim_keys" {
  description = "Fleet repository settings: the OIDC subject template the applier's trust is written for (PUT /repos/<owner>/<repo>/actions/oidc/customization/sub with include_claim_keys)."
  value       = ["repo", "context", "ref"]
}
