"""Print the pipeline definition JSON (for review or diffing), without creating anything.

    python -m pipelines.get_pipeline_definition --region eu-west-1 --role-arn ... --pipeline-name ... \\
        --model-package-group-name ... --default-bucket ...
"""

from __future__ import annotations

import argparse
import json
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for flag in ("--region", "--role-arn", "--pipeline-name", "--model-package-group-name", "--default-bucket"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--kms-key-arn")
    args = parser.parse_args(argv)
    # The SDK logs its config lookup to stdout when it is imported: keep stdout to the JSON (`> definition.json`).
    logging.getLogger("sagemaker.config").setLevel(logging.WARNING)
    from pipelines.abalone.pipeline import get_pipeline

    pipeline = get_pipeline(
        region=args.region,
        role_arn=args.role_arn,
        pipeline_name=args.pipeline_name,
        model_package_group_name=args.model_package_group_name,
        default_bucket=args.default_bucket,
        kms_key_arn=args.kms_key_arn,
    )
    sys.stdout.write(json.dumps(json.loads(pipeline.definition()), indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
