output "arn" {
  description = "ARN of the pipeline."
  value       = aws_codepipeline.this.arn
}

output "name" {
  description = "Name of the pipeline."
  value       = aws_codepipeline.this.name
}

output "stage_names" {
  description = "Names of all stages in order (Source, the invoke stage if any, Build, then the deployment stages)."
  value       = concat(["Source"], var.invoke == null ? [] : [var.invoke.stage_name], ["Build"], [for s in var.stages : s.name])
}
