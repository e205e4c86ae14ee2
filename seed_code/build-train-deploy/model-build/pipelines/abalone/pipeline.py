"""The project's SageMaker Pipeline: preprocess -> train (built-in XGBoost) -> evaluate -> condition -> register.

Written for the SageMaker Python SDK 2.x (see the README for why). ``get_pipeline`` only builds the
definition; ``pipelines.run_pipeline`` upserts and starts it.
"""

from __future__ import annotations

from pathlib import Path

import boto3
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput
from sagemaker.model import Model
from sagemaker.model_metrics import MetricsSource, ModelMetrics
from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor
from sagemaker.sklearn.processing import SKLearnProcessor
from sagemaker.workflow.condition_step import ConditionStep
from sagemaker.workflow.conditions import ConditionLessThanOrEqualTo
from sagemaker.workflow.execution_variables import ExecutionVariables
from sagemaker.workflow.fail_step import FailStep
from sagemaker.workflow.functions import Join, JsonGet
from sagemaker.workflow.model_step import ModelStep
from sagemaker.workflow.parameters import ParameterFloat, ParameterInteger, ParameterString
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.pipeline_context import PipelineSession
from sagemaker.workflow.properties import PropertyFile
from sagemaker.workflow.steps import ProcessingStep, TrainingStep

from pipelines.abalone.hyperparameters import HYPERPARAMETERS

HERE = Path(__file__).resolve().parent
XGBOOST_VERSION = "1.7-1"
SKLEARN_VERSION = "1.2-1"


def session(region: str, default_bucket: str, boto_session: boto3.Session | None = None) -> PipelineSession:
    """A pipeline session for the region, writing under the project bucket."""
    boto_session = boto_session or boto3.Session(region_name=region)
    return PipelineSession(boto_session=boto_session, default_bucket=default_bucket)


def get_pipeline(
    *,
    region: str,
    role_arn: str,
    pipeline_name: str,
    model_package_group_name: str,
    default_bucket: str,
    kms_key_arn: str | None = None,
    pipeline_session: PipelineSession | None = None,
    base_job_prefix: str = "abalone",
) -> Pipeline:
    """The pipeline definition (no AWS call is made until it is upserted)."""
    sm_session = pipeline_session or session(region, default_bucket)

    def output_uri(name: str) -> Join:
        """s3://<bucket>/<pipeline>/<execution id>/<name>: each execution keeps its own data, model and report."""
        return Join(
            on="/", values=[f"s3://{default_bucket}/{pipeline_name}", ExecutionVariables.PIPELINE_EXECUTION_ID, name]
        )

    processing_instance_type = ParameterString("ProcessingInstanceType", default_value="ml.m5.xlarge")
    processing_instance_count = ParameterInteger("ProcessingInstanceCount", default_value=1)
    training_instance_type = ParameterString("TrainingInstanceType", default_value="ml.m5.xlarge")
    model_approval_status = ParameterString("ModelApprovalStatus", default_value="PendingManualApproval")
    input_data = ParameterString("InputDataUrl", default_value=f"s3://{default_bucket}/data/abalone/abalone.csv")
    mse_threshold = ParameterFloat("MseThreshold", default_value=6.0)

    preprocessor = SKLearnProcessor(
        framework_version=SKLEARN_VERSION,
        instance_type=processing_instance_type,
        instance_count=processing_instance_count,
        base_job_name=f"{base_job_prefix}-preprocess",
        role=role_arn,
        sagemaker_session=sm_session,
        volume_kms_key=kms_key_arn,
        output_kms_key=kms_key_arn,
    )
    step_process = ProcessingStep(
        name="PreprocessAbaloneData",
        step_args=preprocessor.run(
            inputs=[ProcessingInput(source=input_data, destination="/opt/ml/processing/input")],
            outputs=[
                ProcessingOutput(output_name=name, source=f"/opt/ml/processing/{name}", destination=output_uri(name))
                for name in ("train", "validation", "test")
            ],
            code=str(HERE / "preprocess.py"),
        ),
    )

    image_uri = _xgboost_image(region, training_instance_type)
    estimator = Estimator(
        image_uri=image_uri,
        instance_type=training_instance_type,
        instance_count=1,
        output_path=output_uri("model"),
        base_job_name=f"{base_job_prefix}-train",
        role=role_arn,
        sagemaker_session=sm_session,
        volume_kms_key=kms_key_arn,
        output_kms_key=kms_key_arn,
        hyperparameters=dict(HYPERPARAMETERS),
    )
    outputs = step_process.properties.ProcessingOutputConfig.Outputs
    step_train = TrainingStep(
        name="TrainAbaloneModel",
        step_args=estimator.fit(
            inputs={
                "train": TrainingInput(s3_data=outputs["train"].S3Output.S3Uri, content_type="text/csv"),
                "validation": TrainingInput(s3_data=outputs["validation"].S3Output.S3Uri, content_type="text/csv"),
            }
        ),
    )

    evaluator = ScriptProcessor(
        image_uri=image_uri,
        command=["python3"],
        instance_type=processing_instance_type,
        instance_count=1,
        base_job_name=f"{base_job_prefix}-evaluate",
        role=role_arn,
        sagemaker_session=sm_session,
        volume_kms_key=kms_key_arn,
        output_kms_key=kms_key_arn,
    )
    evaluation_report = PropertyFile(name="AbaloneEvaluationReport", output_name="evaluation", path="evaluation.json")
    step_eval = ProcessingStep(
        name="EvaluateAbaloneModel",
        step_args=evaluator.run(
            inputs=[
                ProcessingInput(
                    source=step_train.properties.ModelArtifacts.S3ModelArtifacts,
                    destination="/opt/ml/processing/model",
                ),
                ProcessingInput(source=outputs["test"].S3Output.S3Uri, destination="/opt/ml/processing/test"),
            ],
            outputs=[
                ProcessingOutput(
                    output_name="evaluation",
                    source="/opt/ml/processing/evaluation",
                    destination=output_uri("evaluation"),
                )
            ],
            code=str(HERE / "evaluate.py"),
        ),
        property_files=[evaluation_report],
    )

    # The registered version's metrics: this execution's report (its output URI, resolved at run time).
    evaluation_uri = step_eval.properties.ProcessingOutputConfig.Outputs["evaluation"].S3Output.S3Uri
    model_metrics = ModelMetrics(
        model_statistics=MetricsSource(
            s3_uri=Join(on="/", values=[evaluation_uri, "evaluation.json"]),
            content_type="application/json",
        )
    )
    model = Model(
        image_uri=image_uri,
        model_data=step_train.properties.ModelArtifacts.S3ModelArtifacts,
        role=role_arn,
        sagemaker_session=sm_session,
    )
    step_register = ModelStep(
        name="RegisterAbaloneModel",
        step_args=model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.t2.medium", "ml.m5.large", "ml.m5.xlarge"],
            transform_instances=["ml.m5.large"],
            model_package_group_name=model_package_group_name,
            approval_status=model_approval_status,
            model_metrics=model_metrics,
        ),
    )
    step_fail = FailStep(
        name="MseAboveThreshold",
        error_message=Join(on=" ", values=["The model's test MSE is above the threshold", mse_threshold]),
    )
    step_condition = ConditionStep(
        name="CheckMseAbaloneEvaluation",
        conditions=[
            ConditionLessThanOrEqualTo(
                left=JsonGet(
                    step_name=step_eval.name,
                    property_file=evaluation_report,
                    json_path="regression_metrics.mse.value",
                ),
                right=mse_threshold,
            )
        ],
        if_steps=[step_register],
        else_steps=[step_fail],
    )
    return Pipeline(
        name=pipeline_name,
        parameters=[
            processing_instance_type,
            processing_instance_count,
            training_instance_type,
            model_approval_status,
            input_data,
            mse_threshold,
        ],
        steps=[step_process, step_train, step_eval, step_condition],
        sagemaker_session=sm_session,
    )


def _xgboost_image(region: str, instance_type: ParameterString) -> str:
    """The built-in XGBoost image of the region (a fixed URI, resolved offline from the SDK's tables)."""
    from sagemaker import image_uris

    return str(
        image_uris.retrieve(
            framework="xgboost", region=region, version=XGBOOST_VERSION, py_version="py3", instance_type="ml.m5.xlarge"
        )
    )
