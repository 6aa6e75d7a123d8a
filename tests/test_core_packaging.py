"""Installed, everything lives under `zhidu`: nothing named core, plugins or cli at the top of site-packages."""

from importlib.metadata import distribution, entry_points

import zhidu


def test_installed_files_all_live_under_the_zhidu_package():
    files = distribution("zhidu").files or []
    tops = {f.parts[0] for f in files}
    stray = {t for t in tops if t != "zhidu" and not t.endswith((".dist-info", ".pth")) and not t.startswith("__editable__")}
    assert not stray, f"installed outside the zhidu package: {stray}"
    assert not {"core", "plugins", "cli", "cli.py", "tests", "benchmarks"} & tops


def test_console_script_and_public_marker():
    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts["zhidu"] == "zhidu.cli:main"
    assert zhidu.hookimpl.project_name == "zhidu"


def test_core_and_plugins_import_as_zhidu_subpackages():
    import zhidu.cli
    import zhidu.core.hookspecs
    import zhidu.plugins.petrochem.hooks
    import zhidu.plugins.realestate.hooks

    assert zhidu.core.hookspecs.__name__ == "zhidu.core.hookspecs"
