output "rule_names" {
  description = "Names of the rules."
  value       = module.event_rules.rule_names
}
