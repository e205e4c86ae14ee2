output "stage_names" {
  description = "Stages of the pipeline."
  value       = module.pipeline.stage_names
}
