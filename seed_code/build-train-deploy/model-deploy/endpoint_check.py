"""Test step: the stage's endpoint is InService and answers a sample request with a number.

    python endpoint_check.py --endpoint-name <project>-<stage> [--payload "-0.5,-0.4,-0.6,-0.5,-0.5,-0.6,-0.5,0,1,0"]

The payload is what the model scores: one preprocessed feature row, as model-build's preprocessing writes the
training data (without the label): the seven measurements standardised with the training data's mean and
standard deviation, then sex one-hot (F, I, M). A raw Abalone row ("M,0.5,0.4,...") is not.

Exits 0 on success, 1 with the reason otherwise.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

import boto3

LOG = logging.getLogger("endpoint_check")
# One preprocessed row (a slightly larger than average male): 7 standardised measurements, then sex one-hot (F, I, M).
SAMPLE = "0.1,0.2,-0.1,0.3,0.2,0.1,0.4,0,0,1"


class CheckFailed(Exception):
    """The endpoint is not ready or did not answer as expected."""


def check(sagemaker_client: Any, runtime_client: Any, endpoint_name: str, payload: str = SAMPLE) -> float:
    """Return the prediction for payload; raise CheckFailed when the endpoint is not healthy."""
    status = sagemaker_client.describe_endpoint(EndpointName=endpoint_name)["EndpointStatus"]
    if status != "InService":
        raise CheckFailed(f"endpoint {endpoint_name} is {status}, not InService")
    response = runtime_client.invoke_endpoint(EndpointName=endpoint_name, ContentType="text/csv", Body=payload)
    body = response["Body"].read().decode().strip()
    try:
        prediction = float(body.split(",")[0].strip("[] \n"))
    except ValueError as err:
        raise CheckFailed(f"endpoint {endpoint_name} answered {body[:200]!r}, not a number") from err
    if not 0 < prediction < 100:
        raise CheckFailed(f"endpoint {endpoint_name} predicted {prediction} rings: not a plausible abalone age")
    return prediction


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint-name", required=True)
    parser.add_argument(
        "--payload",
        default=SAMPLE,
        help="one preprocessed CSV feature row (7 standardised measurements, sex one-hot F,I,M); default: %(default)s",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        prediction = check(
            boto3.client("sagemaker"), boto3.client("sagemaker-runtime"), args.endpoint_name, args.payload
        )
    except CheckFailed as err:
        LOG.error("endpoint check failed: %s", err)
        return 1
    LOG.info("endpoint %s is InService and predicts %.2f rings for the sample", args.endpoint_name, prediction)
    return 0


if __name__ == "__main__":
    sys.exit(main())
