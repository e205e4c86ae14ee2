output "clone_url_http" {
  description = "Clone URL of the repository."
  value       = module.repository.clone_url_http
}
