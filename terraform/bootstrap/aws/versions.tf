# Day zero of an AWS fleet: run once per account by an administrator (see
# docs/zero-to-a-first-hub.md). Everything later runs on GitHub Actions as the planner or the
# applier this module creates.
#
# No backend block: the first apply keeps its state locally, because the state bucket does not
# exist yet. The guide then moves the state into the bucket it made:
#   cp backend.tf.example backend.tf
#   terraform init -migrate-state -backend-config=bucket=$(terraform output -raw terraform_backend_bucket) \
#     -backend-config=key=bootstrap/aws/terraform.tfstate -backend-config=region=<region>
terraform {
  # S3 native state locking (use_lockfile), as terraform/aws uses: GA in Terraform 1.11.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # test/terraform checks every argument against the schema of aws 6.25 (see
      # test/fixtures/terraform/provider-schema.json), as for terraform/aws.
      version = "~> 6.25"
    }
  }
}

provider "aws" {
  region = var.region
  # Credentials of another account fail the plan instead of creating the fleet's trust there.
  allowed_account_ids = [var.account]

  default_tags {
    tags = {
      "app.kubernetes.io/managed-by" = "hubfleet"
      "hubfleet.dev/bootstrap"       = "true"
    }
  }
}
