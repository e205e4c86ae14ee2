output "product_id" {
  description = "ID of the product."
  value       = module.product.id
}

output "version_ids" {
  description = "Provisioning artifact IDs by version."
  value       = module.product.version_ids
}
