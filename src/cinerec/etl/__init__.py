"""Raw files of The Movies Dataset -> normalized tables (Parquet + DuckDB)."""

from cinerec.etl.errors import EtlError
from cinerec.etl.pipeline import EtlResult, run_etl

__all__ = ["EtlError", "EtlResult", "run_etl"]
