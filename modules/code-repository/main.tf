data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# Its endpoint (ec2.<region>.<dns suffix>): name and id are deprecated in hashicorp/aws 6.x, region is not in 5.x.
data "aws_region" "current" {}

locals {
  codecommit = var.provider_type == "codecommit"

  # The repository's ARN, known at plan time (the resource's arn attribute is not), so that the push rule's event
  # pattern shows in the plan, where it is reviewed and tested (tests/authorization/test_event_patterns.py).
  region = split(".", data.aws_region.current.endpoint)[1]
  arn    = local.codecommit ? "arn:${data.aws_partition.current.partition}:codecommit:${local.region}:${data.aws_caller_identity.current.account_id}:${var.name}" : null

  # Where the seed-push function writes: the CodeCommit repository (through its API), or the third-party
  # repository over git smart-HTTP (modules/seed-push-function, kind = "git"): through the connection's git-http
  # endpoint, or at its URL with the secret's credentials.
  # (JSON, as the objects differ in type.)
  seed_target = {
    codecommit = jsonencode({ repository_name = one(aws_codecommit_repository.this[*].repository_name) })
    codeconnections = jsonencode({ remote = {
      kind               = "codeconnections"
      connection_arn     = var.connection_arn
      full_repository_id = var.full_repository_id
    } })
    anygit = jsonencode({ remote = {
      kind           = "secret"
      secret_arn     = var.secret_arn
      repository_url = var.repository_url
    } })
  }[var.provider_type]
}

resource "aws_codecommit_repository" "this" {
  count = local.codecommit ? 1 : 0

  repository_name = var.name
  description     = var.description
  default_branch  = var.default_branch
  kms_key_id      = var.kms_key_arn
  tags            = var.tags
}

# Before third-party repositories, the CodeCommit repository was the module's only resource.
moved {
  from = aws_codecommit_repository.this
  to   = aws_codecommit_repository.this[0]
}

resource "aws_codecommit_approval_rule_template" "this" {
  count = local.codecommit && var.pull_request_approvals > 0 ? 1 : 0

  name        = "${var.name}-${var.default_branch}-approval"
  description = "Pull requests into ${var.default_branch} of ${var.name} need ${var.pull_request_approvals} approval(s)"
  content = jsonencode({
    Version               = "2018-11-08"
    DestinationReferences = ["refs/heads/${var.default_branch}"]
    Statements = [{
      Type                    = "Approvers"
      NumberOfApprovalsNeeded = var.pull_request_approvals
    }]
  })
}

resource "aws_codecommit_approval_rule_template_association" "this" {
  count = local.codecommit && var.pull_request_approvals > 0 ? 1 : 0

  approval_rule_template_name = aws_codecommit_approval_rule_template.this[0].name
  repository_name             = aws_codecommit_repository.this[0].repository_name
}

# Push the seed code once. The function is idempotent (it completes a half-seeded branch and never touches one
# holding anyone else's commits), and a new seed key (a new product version) re-invokes it, which leaves an
# existing project's code alone.
resource "aws_lambda_invocation" "seed" {
  count = var.seed == null ? 0 : 1

  function_name = var.seed.function_name
  # files only when given: without them, the input is what it was before the field existed (no diff, no re-run).
  input = jsonencode(merge(jsondecode(local.seed_target), {
    branch         = var.default_branch
    seed_bucket    = var.seed.bucket
    seed_key       = var.seed.key
    commit_message = var.seed.commit_message
    author_name    = var.seed.author_name
    author_email   = var.seed.author_email
  }, { for name, files in { files = var.seed.files } : name => files if length(files) > 0 }))
  triggers = {
    seed_key = var.seed.key
  }
}
