name  = "mlops-build-deploy"
owner = "ML platform team"
versions = {
  "1.0.0" = { template_url = "https://artifacts.s3.eu-west-1.amazonaws.com/products/mlops-build-deploy/1.0.0.tar.gz" }
}
