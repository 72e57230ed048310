"""Airflow DAG: Headroom's nightly tokenizer sweep on a Spark cluster through spark-submit.

Requires apache-airflow-providers-apache-spark and a Spark connection (conn id "spark_default") whose
master is YARN or Kubernetes. The jar is the shaded build: pipelines/target/headroom-pipelines-*-spark.jar.
`{{ ds }}` makes each DAG run write its own date=YYYY-MM-DD directory, so re-running a date is idempotent.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

HEADROOM_JAR = "/opt/headroom/headroom-spark.jar"
NIGHTLY_CONF = "/opt/headroom/conf/nightly.conf"

with DAG(
    dag_id="headroom_nightly_sweep",
    start_date=datetime(2026, 11, 1),
    schedule="30 2 * * *",
    catchup=False,
    max_active_runs=1,  # the runner also holds a file lock on the nightly root
    default_args={"retries": 1, "retry_delay": timedelta(minutes=30)},
    tags=["headroom", "tokenizer"],
) as dag:
    SparkSubmitOperator(
        task_id="sweep",
        conn_id="spark_default",
        application=HEADROOM_JAR,
        java_class="headroom.pipelines.cli.Main",
        application_args=["nightly", "--conf", NIGHTLY_CONF, "--date", "{{ ds }}"],
        conf={
            "spark.executorEnv.DJL_CACHE_DIR": "/tmp/djl",
            "spark.executorEnv.PYTORCH_VERSION": "2.7.1",
            "spark.executorEnv.PYTORCH_FLAVOR": "cpu",
            "spark.driver.extraJavaOptions": "-Dai.djl.offline=true",
            "spark.executor.extraJavaOptions": "-Dai.djl.offline=true",
        },
        driver_memory="8g",
    )
