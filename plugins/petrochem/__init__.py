"""Petrochemical customers (石油销售公司化工品客户管理办法): star tiers, admission, complaint deadlines.

The hook functions live in ``hooks.py``; rule tables and pure rule functions in sibling modules.
See ``README.md`` in this folder for the readings chosen where the policy text is ambiguous.
"""
