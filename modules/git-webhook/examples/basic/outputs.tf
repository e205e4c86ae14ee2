output "urls" {
  description = "Webhook URL of each repository."
  value       = module.git_webhook.urls
}
