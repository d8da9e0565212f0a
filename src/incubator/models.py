"""Every model, imported in one place so that the metadata is complete for Alembic and the app."""


def import_all_models() -> None:
    from incubator.audit import models as audit_models  # noqa: F401
    from incubator.auth import models as auth_models  # noqa: F401
    from incubator.city import models as city_models  # noqa: F401
    from incubator.incubatees import models as incubatee_models  # noqa: F401
    from incubator.mentors import models as mentor_models  # noqa: F401
    from incubator.parks import models as park_models  # noqa: F401
    from incubator.periodic_reports import models as periodic_report_models  # noqa: F401
    from incubator.ratings import models as rating_models  # noqa: F401
    from incubator.reports import models as report_models  # noqa: F401
    from incubator.rubrics import models as rubric_models  # noqa: F401
    from incubator.space import models as space_models  # noqa: F401
    from incubator.support import models as support_models  # noqa: F401
    from incubator.trainings import models as training_models  # noqa: F401
