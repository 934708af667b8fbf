"""The usual course API ("PI MLOps"), re-implemented as the comparison point for the benchmarks.

`prepare` is the course's ETL (pandas + `ast.literal_eval`, written once to a Parquet file);
`app` is the FastAPI service that loads that file into one DataFrame, fits TF-IDF over the
overviews at start-up and filters the DataFrame on every request.
"""
