# Day zero of a GCP fleet: run once per project by a person with Owner on it (see
# docs/zero-to-a-first-hub.md). Everything later runs on GitHub Actions as the planner or the
# applier this module creates.
#
# No backend block: the first apply keeps its state locally, because the state bucket does not
# exist yet. The guide then moves the state into the bucket it made:
#   cp backend.tf.example backend.tf
#   terraform init -migrate-state -backend-config=bucket=$(terraform output -raw terraform_backend_bucket) \
#     -backend-config=prefix=bootstrap/gcp
terraform {
  # Validation rules that refer to other variables need Terraform 1.9; terraform/gcp needs 1.10.
  required_version = ">= 1.10.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # test/terraform checks every argument against the schema of google 6.50 (see
      # test/fixtures/terraform/provider-schema.json), as for terraform/gcp.
      version = "~> 6.50"
    }
  }
}

provider "google" {
  project = var.project
  region  = var.region

  default_labels = {
    managed-by = "hubfleet"
    hubfleet   = "bootstrap"
  }
}
