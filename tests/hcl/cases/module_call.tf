module "vpc_us_east_1" {
  source = "../../modules/vpc"
  providers = {
    aws = aws.us_east_1
  }
  environment = "production"
  availability_zones = ["us-east-1a", "us-east-1b"]
}
