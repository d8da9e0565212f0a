"""The application factory."""

from pathlib import Path

from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import ResponseHeader, State
from litestar.di import Provide
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar_granian import GranianPlugin

from incubator import clock, i18n
from incubator.audit.controllers import AuditController
from incubator.audit.pages import AuditPages
from incubator.auth.controllers import AuthController, PortalAccountController, UserController
from incubator.auth.guards import PUBLIC, authorize
from incubator.auth.middleware import AuthMiddleware
from incubator.auth.pages import LoginPages, UserPages
from incubator.city.controllers import CityController
from incubator.city.pages import CityPages
from incubator.cli import CLIPlugin
from incubator.config import PROJECT_ROOT, Settings
from incubator.db.base import metadata
from incubator.db.session import ALCHEMY_STATE_KEY
from incubator.exchange.controllers import ImportController
from incubator.exchange.exports import provide_export_format
from incubator.exchange.pages import MentorImportPages, ParkImportPages
from incubator.incubatees.controllers import IncubateeController, RecommendationController
from incubator.incubatees.pages import IncubateePages, RecommendationPages
from incubator.mentors.controllers import MentorController, MyMentoringController, ParkMentoringController
from incubator.mentors.pages import MentorDeskPages, MentorPoolPages, SessionReviewPages
from incubator.models import import_all_models
from incubator.parks.controllers import ParkController
from incubator.parks.pages import ParkPages
from incubator.periodic_reports.controllers import ComplianceController, ReportController
from incubator.periodic_reports.pages import PortalPages, ReportPages
from incubator.ratings.controllers import ParkRatingController, RatingPeriodController, ReviewQueueController
from incubator.ratings.pages import RatingPages, ReviewQueuePages
from incubator.reports.pages import RENDERER_KEY, PdfPages
from incubator.reports.pdf import PdfRenderer
from incubator.rubrics.controllers import RubricController
from incubator.rubrics.pages import RubricPages
from incubator.space.controllers import SpaceController
from incubator.space.pages import SpacePages
from incubator.support.controllers import SupportController
from incubator.support.pages import PortalSupportPages, SupportPages
from incubator.trainings.controllers import TrainerController, TrainingController
from incubator.trainings.pages import TraineePages, TrainerPoolPages, TrainingPages
from incubator.web.errors import handle_exception
from incubator.web.pages import health, home, set_locale
from incubator.web.params import EmptyFiltersMiddleware, provide_page_params

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = Path(__file__).parent / "static"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
LOGIN_PATHS = frozenset({"/login", "/api/auth/token"})


def alchemy_config(settings: Settings) -> SQLAlchemyAsyncConfig:
    import_all_models()
    engine = EngineConfig(echo=settings.echo_sql)
    if settings.is_sqlite:
        engine = EngineConfig(echo=settings.echo_sql, connect_args={"timeout": 30})
    return SQLAlchemyAsyncConfig(
        connection_string=settings.database_url,
        metadata=metadata,
        engine_config=engine,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        before_send_handler="autocommit_include_redirects",
        create_all=False,
        set_default_exception_handler=False,  # every error goes through web.errors.handle_exception
        alembic_config=AlembicAsyncConfig(
            script_location=str(MIGRATIONS_DIR),
            version_table_name="alembic_version",
            render_as_batch=True,
            compare_type=True,
        ),
    )


class LocaleMiddleware:
    """Sets the request's locale from the language cookie, before anything renders text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            cookie = next((v.decode() for k, v in scope["headers"] if k == b"cookie"), "")
            chosen = None
            for part in cookie.split(";"):
                name, _sep, value = part.strip().partition("=")
                if name == i18n.LOCALE_COOKIE:
                    chosen = value
            i18n.set_locale(chosen)
        await self.app(scope, receive, send)


def _configure_templates(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["local_time"] = i18n.local_time
    env.globals["enum_label"] = i18n.enum_label
    env.globals["choices"] = i18n.choices
    env.globals["label"] = i18n.label
    env.globals["labels_of"] = i18n.labels_of


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    clock.set_demo_today(settings.demo_today)
    alchemy = alchemy_config(settings)
    renderer = PdfRenderer(settings.pdf_workers or None)
    rate_limit = RateLimitConfig(
        rate_limit=("minute", settings.login_attempts_per_minute),
        check_throttle_handler=lambda request: request.method == "POST" and request.url.path in LOGIN_PATHS,
        set_rate_limit_headers=False,
    )

    return Litestar(
        route_handlers=[
            home,
            set_locale,
            health,
            LoginPages,
            UserPages,
            ParkPages,
            AuditPages,
            AuthController,
            UserController,
            ParkController,
            AuditController,
            IncubateeController,
            IncubateePages,
            RecommendationController,
            RecommendationPages,
            SpaceController,
            SpacePages,
            MentorController,
            ParkMentoringController,
            MyMentoringController,
            MentorDeskPages,
            SessionReviewPages,
            MentorPoolPages,
            PortalAccountController,
            ReportController,
            ComplianceController,
            ReportPages,
            PortalPages,
            ParkRatingController,
            ReviewQueueController,
            RatingPeriodController,
            RatingPages,
            ReviewQueuePages,
            CityController,
            CityPages,
            RubricController,
            RubricPages,
            SupportController,
            SupportPages,
            PortalSupportPages,
            TrainerController,
            TrainingController,
            TrainerPoolPages,
            TrainingPages,
            TraineePages,
            PdfPages,
            ImportController,
            ParkImportPages,
            MentorImportPages,
            create_static_files_router(path="/static", directories=[STATIC_DIR], opt=PUBLIC, include_in_schema=False),
        ],
        plugins=[SQLAlchemyPlugin(config=alchemy), CLIPlugin(), GranianPlugin()],
        dependencies={
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
            "page": Provide(provide_page_params, sync_to_thread=False),
            "export_format": Provide(provide_export_format, sync_to_thread=False),
        },
        middleware=[
            EmptyFiltersMiddleware,
            LocaleMiddleware,
            rate_limit.middleware,
            AuthMiddleware,
        ],
        guards=[authorize],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="csrftoken",
            header_name="x-csrftoken",
            cookie_secure=settings.environment == "production",
            exclude=["^/api/", "^/health$"],
        ),
        template_config=TemplateConfig(
            directory=TEMPLATES_DIR, engine=JinjaTemplateEngine, engine_callback=_configure_templates
        ),
        openapi_config=OpenAPIConfig(
            title="incubator",
            version="0.1.0",
            render_plugins=[ScalarRenderPlugin()],
            openapi_router=Router(path="/schema", route_handlers=[], opt=PUBLIC, include_in_schema=False),
        ),
        exception_handlers={Exception: handle_exception},
        response_headers=[
            ResponseHeader(name="X-Frame-Options", value="DENY"),
            ResponseHeader(name="Content-Security-Policy", value="frame-ancestors 'none'"),
            ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
            ResponseHeader(name="Referrer-Policy", value="same-origin"),
        ],
        state=State({"settings": settings, ALCHEMY_STATE_KEY: alchemy, RENDERER_KEY: renderer}),
        on_shutdown=[renderer.close],
        debug=False,
    )
