"""RP3beta on Apache Spark: the specification of `rp3beta` as DataFrame steps.

Install extra `spark` (PySpark; Java 17+). The algorithm is a few DataFrame operations on
whatever session it is given: a self-join of the interactions on the user, a sum per item
pair, a window for the top K. Nothing in it knows about the cluster: `spark_session` makes the
session (a `local[N]` master, a cluster master URL, or a Spark Connect `sc://` URL), and the
job reads the catalogue's Parquet tables where they are (local disk, HDFS, object storage).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cinerec.recommend.rp3beta import Rp3betaParams

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

EXTRA_HINT = (
    "the Spark engine needs the `spark` install extra: `make setup-spark`"
    " (or `uv sync --extra spark`) and Java 17+"
)
# a small job on one machine: few shuffle partitions, no UI, loopback only
LOCAL_CONF = {
    "spark.sql.shuffle.partitions": "8",
    "spark.default.parallelism": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.adaptive.enabled": "true",
}


def spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


JAVA_HINT = (
    "install Java 17+ (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`) or point"
    " JAVA_HOME at one"
)


def java_problem() -> str | None:
    """None when a Java 17+ runtime is there (JAVA_HOME, else PATH); else what is wrong."""
    import re
    import shutil
    import subprocess

    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).is_file():
        return f"the Spark engine needs Java 17+, and none was found: {JAVA_HINT}"
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run {java} ({exc}): {JAVA_HINT}"
    found = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    major = int(found.group(1)) if found else 0
    if major == 1 and found and found.group(2):  # "1.8.0_…" is Java 8
        major = int(found.group(2))
    if major < 17:
        return f"the Spark engine needs Java 17+, {java} is Java {major or '?'}: {JAVA_HINT}"
    return None


def spark_session(
    master: str = "local[*]",
    app_name: str = "cinerec-rp3beta",
    conf: dict[str, str] | None = None,
) -> SparkSession:
    """The one place a session is made: `sc://host:port` is a Spark Connect server, anything
    else a master URL (`local[2]`, `spark://…`, `yarn`, `k8s://…`). `conf` adds settings
    (e.g. `spark.driver.memory`); on a local master the small-job defaults apply first."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master.startswith("sc://"):
        builder = builder.remote(master)
    else:
        builder = builder.master(master)
        if master.startswith("local"):
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            for key, value in LOCAL_CONF.items():
                builder = builder.config(key, value)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    if not master.startswith("sc://"):
        session.sparkContext.setLogLevel("ERROR")
    return session


def catalogue_interactions(spark: SparkSession, tables: str) -> DataFrame:
    """(user, item, rating, ts) from a catalogue's `ratings.parquet`, with item = the movie's
    row in `movies.parquet` (sorted by id, as the served arrays are)."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    movies = spark.read.parquet(f"{tables}/movies.parquet").select(F.col("id").alias("movie_id"))
    rows = movies.withColumn("item", F.row_number().over(Window.orderBy("movie_id")) - 1)
    ratings = spark.read.parquet(f"{tables}/ratings.parquet")
    return ratings.join(rows, "movie_id").select(
        F.col("user_id").alias("user"),
        F.col("item").cast("long").alias("item"),
        F.col("rating").cast("double").alias("rating"),
        F.col("timestamp").cast("long").alias("ts"),
    )


def rp3beta_pairs(interactions: DataFrame, params: Rp3betaParams) -> DataFrame:
    """Each item's top-k neighbours: (item, rank 0..k-1, neighbour, score double).

    `interactions` has columns user, item (catalogue row), rating, ts; the steps are those of
    `cinerec.recommend.rp3beta`'s docstring, one by one.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    p = params
    # 1. the latest rating of each (user, item)
    x = interactions.where(F.col("rating").isNotNull()).withColumn(
        "ts", F.coalesce(F.col("ts"), F.lit(0))
    )
    latest = Window.partitionBy("user", "item").orderBy(F.desc("ts"), F.desc("rating"))
    x = x.withColumn("n", F.row_number().over(latest)).where(F.col("n") == 1)
    # 2. weights
    x = x.withColumn(
        "w",
        F.when(F.col("rating") >= F.lit(p.like_threshold), F.lit(1.0)).otherwise(
            F.lit(float(p.disliked_weight))
        ),
    ).where(F.col("w") > 0)
    # 3. a heavy user's most recent max_user_items
    recent = Window.partitionBy("user").orderBy(F.desc("ts"), F.asc("item"))
    x = x.withColumn("n", F.row_number().over(recent)).where(F.col("n") <= p.max_user_items)
    # 4. items with too few users
    by_item = Window.partitionBy("item")
    x = x.withColumn("users", F.count(F.lit(1)).over(by_item)).where(
        F.col("users") >= p.min_item_users
    )
    # 5. transition probabilities (pop_j = the item's users, after step 4)
    x = x.select(
        "user",
        "item",
        "w",
        F.sum("w").over(Window.partitionBy("user")).alias("user_sum"),
        F.sum("w").over(by_item).alias("item_sum"),
        F.count(F.lit(1)).over(by_item).alias("pop"),
    ).cache()
    left = x.select(
        "user",
        F.col("item").alias("i"),
        F.pow(F.col("w") / F.col("item_sum"), F.lit(p.alpha)).alias("a"),
    )
    right = x.select(
        "user",
        F.col("item").alias("j"),
        (
            F.pow(F.col("w") / F.col("user_sum"), F.lit(p.alpha))
            / F.pow(F.col("pop").cast("double"), F.lit(p.beta))
        ).alias("b"),
    )
    # the self-join on users and the sum per item pair
    pairs = (
        left.join(right, "user")
        .where(F.col("i") != F.col("j"))
        .groupBy("i", "j")
        .agg(F.sum(F.col("a") * F.col("b")).alias("score"))
        .where(F.col("score") > 0)
    )
    # 6. the top k per item, ties by neighbour ascending
    best = Window.partitionBy("i").orderBy(F.desc("score"), F.asc("j"))
    return (
        pairs.withColumn("rank", F.row_number().over(best) - 1)
        .where(F.col("rank") < p.k)
        .select(
            F.col("i").alias("item"),
            F.col("rank").cast("int").alias("rank"),
            F.col("j").alias("neighbour"),
            "score",
        )
    )


def neighbour_arrays(
    item: np.ndarray[Any, Any],
    rank: np.ndarray[Any, Any],
    neighbour: np.ndarray[Any, Any],
    score: np.ndarray[Any, Any],
    n_items: int,
    k: int,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The (item, rank, neighbour, score) rows as the local engine's arrays."""
    rows = np.full((n_items, k), -1, np.int32)
    scores = np.zeros((n_items, k), np.float32)
    rows[item, rank] = neighbour
    scores[item, rank] = np.asarray(score, np.float64).astype(np.float32)
    return rows, scores


def spark_rp3beta_neighbours(
    tables: str,
    n_items: int,
    params: Rp3betaParams | None = None,
    master: str = "local[*]",
    conf: dict[str, str] | None = None,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """RP3beta lists of a catalogue, computed by Spark from its Parquet tables under
    `tables` (a path or URI Spark can read: local, `hdfs://…`, `s3a://…`).

    Only the result, n_items × k rows, comes back to the driver (as Arrow), where the
    model's artifacts are written.
    """
    params = params or Rp3betaParams()
    spark = spark_session(master, conf=conf)
    table = rp3beta_pairs(catalogue_interactions(spark, tables), params).toArrow()
    return neighbour_arrays(
        np.asarray(table.column("item").to_numpy(), np.int64),
        np.asarray(table.column("rank").to_numpy(), np.int64),
        np.asarray(table.column("neighbour").to_numpy(), np.int64),
        np.asarray(table.column("score").to_numpy(), np.float64),
        n_items,
        params.k,
    )
