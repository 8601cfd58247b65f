# Access entries for the two roles on the EKS cluster (optional: eks_cluster_name, set on a second
# apply once the cluster exists). EKS access policies (EKS user guide, "Access policy
# permissions"): AmazonEKSClusterAdminPolicy for the applier (deploy-hub creates namespaces and
# the charts' RBAC objects), AmazonEKSViewPolicy for the planner (read, no Secrets).
locals {
  eks_access = var.eks_cluster_name == null ? {} : {
    applier = { arn = aws_iam_role.applier.arn, policy = "AmazonEKSClusterAdminPolicy" }
    planner = { arn = aws_iam_role.planner.arn, policy = "AmazonEKSViewPolicy" }
  }
}

resource "aws_eks_access_entry" "fleet" {
  for_each = local.eks_access

  cluster_name  = var.eks_cluster_name
  principal_arn = each.value.arn
  type          = "STANDARD"
}

resource "aws_eks_access_policy_association" "fleet" {
  for_each = local.eks_access

  cluster_name  = var.eks_cluster_name
  principal_arn = each.value.arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/${each.value.policy}"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_access_entry.fleet]
}
