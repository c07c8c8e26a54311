	z = 1
resource "a" "b" {
	x = <<EOT
  keep   this
	and = this
EOT
	yy = 2
}
