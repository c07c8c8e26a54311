x = jsonencode({
Version = "1"
Statement = [{
Action = "a"
}, {
Action = "b"
}]
})
locals {
public = [
for i, az in var.azs :
cidrsubnet(var.c, 8, i + 1)
]
}
