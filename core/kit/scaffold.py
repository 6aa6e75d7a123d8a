"""`zhidu plugin new NAME`: write a plugin distribution that works as written.

The distribution (``zhidu-NAME/``) holds a pyproject with the ``zhidu.plugins`` entry point, the
package ``zhidu_NAME`` (hooks, rule catalogue, parameters with presets and a band table, one record
kind with Chinese headers, one decision command, sample data), a README with the rule/clause table
and tests using ``zhidu.testing`` (including golden cases). Freshly written it installs with pip,
shows in ``zhidu plugins``, runs in ``zhidu demo``, passes its own tests and ``zhidu plugin check``.
The kind (``NAME_account``) and command (``NAME-grade``) are named after the plugin, so that several
new plugins can be installed side by side.
"""

from __future__ import annotations

import keyword
import re
from importlib.resources import files
from pathlib import Path

from ... import __version__

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

#: template file -> where it goes in the distribution ("pkg" is the package, "NAME" the plugin).
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "pkg/__init__.py.tmpl": "pkg/__init__.py",
    "pkg/hooks.py.tmpl": "pkg/hooks.py",
    "pkg/rules.py.tmpl": "pkg/rules.py",
    "pkg/params.py.tmpl": "pkg/params.py",
    "pkg/records.py.tmpl": "pkg/records.py",
    "pkg/commands.py.tmpl": "pkg/commands.py",
    "pkg/samples.py.tmpl": "pkg/samples.py",
    "tests/test_plugin.py.tmpl": "tests/test_NAME.py",
    "tests/golden.csv.tmpl": "tests/golden.csv",
}


class ScaffoldError(ValueError):
    """The plugin cannot be written: a bad name, or the folder exists."""


def new_plugin(name: str, directory: str | Path = ".", document: str = "示例客户管理办法") -> Path:
    """Write the distribution ``DIRECTORY/zhidu-NAME``; its path."""
    from ..plugins import available_plugins

    if not NAME.match(name) or keyword.iskeyword(name) or name in ("core", "zhidu"):
        raise ScaffoldError(f"'{name}' cannot be a plugin name: use lower-case letters, digits and _, starting with a letter "
                            f"(it names the entry point, the rule ids' namespace and the package zhidu_{name})")
    if not document.strip():
        raise ScaffoldError("--document needs the policy document's title")
    if name in available_plugins():
        raise ScaffoldError(f"a plugin named '{name}' is already installed ({available_plugins()[name][1].distribution}); choose another name")
    root = Path(directory) / f"zhidu-{name}"
    if root.exists():
        raise ScaffoldError(f"{root} already exists; remove it or choose another --dir")
    values = {
        "__DIST__": f"zhidu-{name.replace('_', '-')}",
        "__PKG__": f"zhidu_{name}",
        "__KIND__": f"{name}_account",
        "__COMMAND__": f"{name.replace('_', '-')}-grade",
        "__DOCUMENT__": document.strip(),
        "__ZHIDU_VERSION__": __version__,
        "__NAME__": name,
    }
    template = files(__package__).joinpath("template")
    for source, target in FILES.items():
        text = template.joinpath(source).read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        path = root / target.replace("pkg/", f"zhidu_{name}/").replace("NAME", name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def next_steps(root: Path, name: str) -> str:
    return "\n".join([
        f"wrote {root}/ (plugin '{name}')",
        "next:",
        f"  pip install -e '{root}[test]'      # into the environment that has zhidu",
        f"  zhidu plugin check {name}",
        f"  cd {root} && pytest --zhidu-rule-coverage={name}",
        f"  then replace the example policy in {root}/zhidu_{name}/ with the company's own",
    ])
