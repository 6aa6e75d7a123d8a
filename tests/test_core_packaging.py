"""Installed, everything lives under `zhidu`: nothing named core, plugins or cli at the top of site-packages."""

import site
from importlib.metadata import Distribution, entry_points

import zhidu


def test_installed_files_all_live_under_the_zhidu_package():
    # Look in site-packages only: a source tree's zhidu.egg-info (left by `pip install .`) lists sources.
    (dist,) = list(Distribution.discover(name="zhidu", path=site.getsitepackages()))
    files = dist.files or []
    # Scripts sit outside site-packages ('..'); an editable install adds only its finder and .pth.
    tops = {f.parts[0] for f in files if f.parts[0] != ".." and "__editable__" not in str(f)}
    stray = {t for t in tops if t != "zhidu" and not t.endswith(".dist-info")}
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
