# One state per cluster. The backend is a partial configuration: plan-cluster and apply-iam pass
# the cluster's `terraform.backend` from cluster.yaml at init time:
#   terraform init -backend-config=bucket=<backend.bucket> -backend-config=prefix=<backend.prefix>
terraform {
  required_version = ">= 1.10.0"

  backend "gcs" {}

  required_providers {
    google = {
      source = "hashicorp/google"
      # test/terraform checks every argument against the schema of google 6.50 (see
      # test/fixtures/terraform/provider-schema.json); older 6.x releases may lack some of them.
      version = "~> 6.50"
    }
  }
}

provider "google" {
  project = var.project
  region  = var.region

  default_labels = {
    managed-by         = "hubfleet"
    "hubfleet-cluster" = var.hubfleet_cluster
  }
}
