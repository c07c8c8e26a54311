variable "environment" {
  type = string
}

variable "node_groups" {
  type = any
}

locals {
  prefix = "shop-${var.environment}"
}

resource "aws_eks_node_group" "this" {
  for_each        = var.node_groups
  node_group_name = "${local.prefix}-${each.key}"

  taint {
    key    = each.value.taint_key
    value  = each.value.taint_value
    effect = "NO_SCHEDULE"
  }
}

resource "aws_iam_role" "web" {
  name = "${local.prefix}-web"
  assume_role_policy = jsonencode({
    Statement = [{
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = { "oidc:sub" = "system:serviceaccount:shop:web" } }
    }]
  })
}
