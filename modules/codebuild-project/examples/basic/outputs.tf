output "project_name" {
  description = "Name of the CodeBuild project."
  value       = module.codebuild_project.name
}
