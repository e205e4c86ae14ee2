"""AWS Lambda functions that ship with the templates.

Each module here is packaged on its own (``mlops-templates package`` zips the single file), so a module may
import only the standard library and ``boto3``/``botocore``, which the Lambda Python runtime provides.
"""
