# Read by apply-iam (`terraform output -json`) and handed to deploy-hub. The annotation must equal
# what src/render/manifests.ts expectedServiceAccountAnnotations renders, or deploy-hub refuses.

output "kubernetes_sa_annotations" {
  description = "Per hub namespace, the annotations of the user KSA: the IAM role it assumes through IRSA."
  value = {
    for name, hub in var.hubs : hub.namespace => {
      "eks.amazonaws.com/role-arn" = aws_iam_role.irsa[name].arn
    }
  }
}

output "hubs" {
  description = "Per hub, what deploy-hub needs: the IRSA role and the buckets by config key."
  value = {
    for name, hub in var.hubs : name => {
      irsa_role_arn = aws_iam_role.irsa[name].arn
      buckets       = { for key, bucket in hub.buckets : key => aws_s3_bucket.hub["${name}/${key}"].bucket }
    }
  }
}
