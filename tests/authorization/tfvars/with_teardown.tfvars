# The project with its teardown function (the key `mlops-templates package` writes into artifacts.json), for the
# recorded-call tests: the teardown role exists only when the product passes the function's key.
teardown_function_key = "lambda/project-teardown/1.0.0/ddd.zip"
