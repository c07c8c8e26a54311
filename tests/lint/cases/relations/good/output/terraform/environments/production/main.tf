provider "aws" {
  region = "us-east-1"
}

variable "node_groups" {
  type = any
}

module "eks" {
  source      = "../../modules/eks"
  environment = "production"
  node_groups = var.node_groups
}
