"""The demo accounts, one for every role; their password is the published demo password."""

from typing import NamedTuple


class DemoAccount(NamedTuple):
    email: str
    name: str
    role: str
    park_code: str | None = None
    firm: str | None = None
    """A founder's firm, by name."""


DEMO_ACCOUNTS = [
    DemoAccount("admin@incubator.demo", "系统管理员", "admin"),
    DemoAccount("bureau@incubator.demo", "市人社局审核员", "bureau"),
    DemoAccount("mentor@incubator.demo", "王导师", "mentor"),
    DemoAccount("operator.hl@incubator.demo", "华龙园区运营", "operator", "PY-HL-01"),
    DemoAccount("operator.qf@incubator.demo", "清丰园区运营", "operator", "PY-QF-01"),
    DemoAccount("operator.qf@incubator.demo", "清丰园区运营", "operator", "PY-NL-D01"),
    DemoAccount("operator.fx@incubator.demo", "范县园区运营", "operator", "PY-FX-01"),
    DemoAccount("operator.kfq@incubator.demo", "开发区孵化器运营", "operator", "PY-KFQ-01"),
    DemoAccount("founder.hl@incubator.demo", "李创业", "founder", "PY-HL-01", "龙都电商服务有限公司"),
]
