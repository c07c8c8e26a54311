variable "x" {
type = string
description = "a \"quoted\" = thing # not comment"
default = "10.0.0.0/16"
}
  locals {
    a = var.x != "" ? 1 : 2
    bbb = var.y >= 3
    c = { for k, v in var.m : k => v if v != null }
    dd = "$${literal} %%{x} \\ ok"
  }
