# A project of team fraud: the team tag the Service Catalog engine passes (as default tags) reaches the project.
tags = {
  team = "fraud"
}
