provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_route53_health_check" "east" {
  fqdn = "www.example.com"
  type = "HTTPS"
}

resource "aws_route53_record" "east" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "www.example.com"
  type           = "A"
  set_identifier = "east"
  latency_routing_policy {
    region = "us-east-1"
  }
  records = ["192.0.2.1"]
}

resource "aws_route53_record" "west" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "www.example.com"
  type           = "A"
  set_identifier = "west"
  latency_routing_policy {
    region = "us-west-2"
  }
  records = ["192.0.2.2"]
}
