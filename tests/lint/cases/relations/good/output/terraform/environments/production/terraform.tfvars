node_groups = {
  app = {
    taint_key   = "dedicated"
    taint_value = "application"
  }
}
