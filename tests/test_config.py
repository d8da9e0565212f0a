import pytest

from incubator.app import create_app
from incubator.config import Settings, SettingsError
from incubator.reports.pages import RENDERER_KEY
from incubator.reports.pdf import workers


def test_settings_come_from_incubator_variables():
    settings = Settings.from_env(
        {"INCUBATOR_TOKEN_MAX_AGE_SECONDS": "60", "INCUBATOR_DATABASE_URL": "sqlite+aiosqlite:///x.db"}
    )
    assert settings.token_max_age_seconds == 60
    assert settings.database_url == "sqlite+aiosqlite:///x.db"


def test_a_bad_setting_names_the_variable():
    with pytest.raises(SettingsError, match="login_attempts_per_minute"):
        Settings.from_env({"INCUBATOR_LOGIN_ATTEMPTS_PER_MINUTE": "many"})
    with pytest.raises(SettingsError, match="login_lock_minutes"):
        Settings.from_env({"INCUBATOR_LOGIN_LOCK_MINUTES": "0"})  # would turn the lock off unnoticed


def test_production_refuses_to_start_without_a_real_secret_key():
    with pytest.raises(SettingsError, match="INCUBATOR_SECRET_KEY"):
        create_app(Settings.from_env({"INCUBATOR_ENVIRONMENT": "production"}))
    with pytest.raises(SettingsError, match="INCUBATOR_SECRET_KEY"):
        Settings.from_env({"INCUBATOR_ENVIRONMENT": "production", "INCUBATOR_SECRET_KEY": "short"})


def test_production_turns_demo_mode_off():
    settings = Settings.from_env({"INCUBATOR_ENVIRONMENT": "production", "INCUBATOR_SECRET_KEY": "k" * 40})
    assert settings.demo_mode is False
    with pytest.raises(SettingsError, match="DEMO"):
        Settings.from_env(
            {"INCUBATOR_ENVIRONMENT": "production", "INCUBATOR_SECRET_KEY": "k" * 40, "INCUBATOR_DEMO_MODE": "true"}
        )


def test_the_pdf_pool_takes_its_size_from_the_settings():
    sized = create_app(Settings.from_env({"INCUBATOR_PDF_WORKERS": "1"}))
    assert sized.state[RENDERER_KEY].processes == 1
    assert create_app(Settings.from_env({})).state[RENDERER_KEY].processes == workers()
    with pytest.raises(SettingsError, match="pdf_workers"):
        Settings.from_env({"INCUBATOR_PDF_WORKERS": "-1"})
