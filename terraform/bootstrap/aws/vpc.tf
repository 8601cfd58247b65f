# A VPC for the EKS cluster (optional, create_vpc): the cluster's nodes and the runner pods live
# in the private subnets; the hubs' internet-facing ALBs in the public ones. The AWS Load Balancer
# Controller finds subnets by the tags kubernetes.io/role/elb (internet-facing) and
# kubernetes.io/role/internal-elb (internal) (aws-load-balancer-controller docs,
# deploy/subnet_discovery.md); terraform/aws checks at least two elb-tagged subnets.
data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs     = slice(data.aws_availability_zones.available.names, 0, 2)
  newbits = 20 - tonumber(split("/", var.vpc_cidr)[1])
}

resource "aws_vpc" "fleet" {
  count = var.create_vpc ? 1 : 0

  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "hubfleet" }
}

resource "aws_internet_gateway" "fleet" {
  count = var.create_vpc ? 1 : 0

  vpc_id = aws_vpc.fleet[0].id
  tags   = { Name = "hubfleet" }
}

resource "aws_subnet" "public" {
  count = var.create_vpc ? 2 : 0

  vpc_id            = aws_vpc.fleet[0].id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, local.newbits, count.index)
  tags              = { Name = "hubfleet-public-${local.azs[count.index]}", "kubernetes.io/role/elb" = "1" }
}

resource "aws_subnet" "private" {
  count = var.create_vpc ? 2 : 0

  vpc_id            = aws_vpc.fleet[0].id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, local.newbits, count.index + 2)
  tags              = { Name = "hubfleet-private-${local.azs[count.index]}", "kubernetes.io/role/internal-elb" = "1" }
}

resource "aws_eip" "nat" {
  count = var.create_vpc ? 1 : 0

  domain = "vpc"
  tags   = { Name = "hubfleet-nat" }
}

# One NAT gateway (not one per zone): the private subnets only pull images, actions and providers.
resource "aws_nat_gateway" "fleet" {
  count = var.create_vpc ? 1 : 0

  allocation_id = aws_eip.nat[0].id
  subnet_id     = aws_subnet.public[0].id
  tags          = { Name = "hubfleet" }

  depends_on = [aws_internet_gateway.fleet]
}

resource "aws_route_table" "public" {
  count = var.create_vpc ? 1 : 0

  vpc_id = aws_vpc.fleet[0].id
  tags   = { Name = "hubfleet-public" }
}

resource "aws_route" "public_default" {
  count = var.create_vpc ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.fleet[0].id
}

resource "aws_route_table" "private" {
  count = var.create_vpc ? 1 : 0

  vpc_id = aws_vpc.fleet[0].id
  tags   = { Name = "hubfleet-private" }
}

resource "aws_route" "private_default" {
  count = var.create_vpc ? 1 : 0

  route_table_id         = aws_route_table.private[0].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.fleet[0].id
}

resource "aws_route_table_association" "public" {
  count = var.create_vpc ? 2 : 0

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_route_table_association" "private" {
  count = var.create_vpc ? 2 : 0

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[0].id
}
