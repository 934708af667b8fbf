"""Service settings from environment variables, so one image runs anywhere (Render, Docker, a
laptop) without editing files. Command-line options of `cinerec serve` override them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["debug", "info", "warning", "error", "critical"]
LogFormat = Literal["json", "text"]


class Settings(BaseSettings):
    """`CINEREC_DATA_DIR`, `CINEREC_HOST`, `CINEREC_PORT` (or `PORT`, which Render sets),
    `CINEREC_WORKERS`, `CINEREC_LOG_LEVEL`, `CINEREC_LOG_FORMAT`, `CINEREC_CORS_ORIGINS`."""

    model_config = SettingsConfigDict(env_prefix="CINEREC_", extra="ignore")

    data_dir: Path = Field(default=Path("data/catalog"), description="Built catalogue directory")
    host: str = Field(default="127.0.0.1", min_length=1, description="Interface to bind")
    port: int = Field(
        default=8000,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("CINEREC_PORT", "PORT"),
        description="TCP port",
    )
    workers: int = Field(default=1, ge=1, le=64, description="Worker processes")
    log_level: LogLevel = "info"
    log_format: LogFormat = Field(
        default="json", description="json: one JSON object per line; text: for a terminal"
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser, comma-separated; * for any",
    )

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
