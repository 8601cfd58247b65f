# One state per cluster. The backend is a partial configuration: plan-cluster and apply-iam pass
# the cluster's `terraform.backend` from cluster.yaml at init time:
#   terraform init -backend-config=bucket=<backend.bucket> \
#     -backend-config=key=<backend.prefix>/terraform.tfstate -backend-config=region=<aws.region>
terraform {
  # S3 native state locking (use_lockfile) is GA in 1.11 (experimental in 1.10): no DynamoDB table.
  required_version = ">= 1.11.0"

  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # test/terraform checks every argument against the schema of aws 6.25 (see
      # test/fixtures/terraform/provider-schema.json); older releases may lack some of them.
      version = "~> 6.25"
    }
  }
}

provider "aws" {
  region = var.region
  # A plan made with credentials of another account fails instead of creating roles there.
  allowed_account_ids = [var.account]

  default_tags {
    tags = {
      "app.kubernetes.io/managed-by" = "hubfleet"
      "hubfleet.dev/cluster"         = var.hubfleet_cluster
    }
  }
}
