# A project's GitHub Actions role (churn, p-gha123456789): main of the model-build repository, main and the prod
# environment of the model-deploy repository, through the account's GitHub OIDC provider; the catalog's boundary.
name              = "mlops-p-gha123456789-github-actions"
oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
repositories = [
  { full_name = "ml-team/churn-modelbuild", branches = ["main"] },
  { full_name = "ml-team/churn-modeldeploy", branches = ["main"], environments = ["prod"] },
]
permissions_boundary_arn = "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary"
policy_documents = {
  deploy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DescribeModelPackages\",\"Effect\":\"Allow\",\"Action\":\"sagemaker:DescribeModelPackage\",\"Resource\":\"arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn-p-gha123456789-models/*\"}]}"
}
tags = { "sagemaker:project-name" = "churn", "sagemaker:project-id" = "p-gha123456789" }
