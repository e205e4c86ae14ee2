data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

data "aws_iam_policy_document" "start_pipelines" {
  statement {
    sid       = "StartTargetPipelines"
    actions   = ["codepipeline:StartPipelineExecution"]
    resources = sort(distinct([for r in values(var.rules) : r.target_pipeline_arn]))
  }
}

resource "aws_iam_role" "this" {
  name                 = "${var.name_prefix}-events"
  description          = "EventBridge role of ${var.name_prefix}: starts its pipelines"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "start-pipelines"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.start_pipelines.json
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = var.rules

  name          = "${var.name_prefix}-${each.key}"
  description   = each.value.description
  event_pattern = each.value.event_pattern
  state         = each.value.enabled ? "ENABLED" : "DISABLED"
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  for_each = var.rules

  rule      = aws_cloudwatch_event_rule.this[each.key].name
  target_id = "start-pipeline"
  arn       = each.value.target_pipeline_arn
  role_arn  = aws_iam_role.this.arn
}
