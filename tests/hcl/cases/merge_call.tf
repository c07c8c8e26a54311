tags = merge(var.tags, {
  Name = "x"
  Environment = var.environment
})
q = 1
