"""The demo city of Puyang: deterministic, generated at any scale and bulk-loaded."""

from incubator.demo.accounts import DEMO_ACCOUNTS, DemoAccount
from incubator.demo.load import load_demo_city

__all__ = ("DEMO_ACCOUNTS", "DemoAccount", "load_demo_city")
