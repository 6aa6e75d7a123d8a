"""Decision commands, declared once by plugins (the ``decision_commands`` hook).

A declaration says what the command reads (its input kind), where its decisions come from (a
standard decision hook, or the plugin's own ``decide`` function), how several plugins' answers
combine, which outcome keys the core relies on, and the CLI options its rules read. The core
builds the click command from it and runs every command through the same pipeline: read from the
database or a file, decide in chunks, check, stamp, log, print.

Several plugins may feed one standard command from different input kinds (realestate's ``conduct``
over ``conduct_incident``, retail's over ``staff_incident``): the plan keeps each plugin's kind, each
implementation receives only records of its own plugin's kind, and a run reads every kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from . import hookspecs
from .kinds import KindRegistry

if TYPE_CHECKING:  # pragma: no cover
    from .context import DecisionContext
    from .decisions import Decision

Decide = Callable[[Sequence[Any], "DecisionContext"], "Iterable[Decision] | None"]
COMBINE_MODES = ("first", "all")
# The shared option naming FILE's kind, for a command fed from several input kinds.
KIND_OPTION = "kind"


class CommandError(Exception):
    """A command declaration is unusable or two declarations of one command disagree."""


@dataclass(frozen=True)
class CommandOption:
    """A CLI option of a decision command; its value reaches the rules as ``context.options[name]``.

    ``records_kind``: the option names a file of records of that kind (file mode), which hooks then
    read through ``context.history.records`` and replays read as their input. ``parse`` converts
    the text (a ``ValueError`` becomes a usage error naming the option). ``keep_if_outcome``: a flag
    that keeps only the decisions whose outcome has that key set (``--overdue``).
    """

    name: str
    help: str = ""
    flag: bool = False
    choices: tuple[str, ...] = ()
    records_kind: str | None = None
    parse: Callable[[str], Any] | None = None
    keep_if_outcome: str | None = None

    @property
    def cli_name(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class DecisionCommand:
    name: str
    title_zh: str
    input_kind: str
    help: str = ""
    # A standard decision hook (see hookspecs.DECISION_HOOKS) ...
    hook: str | None = None
    # ... or the plugin's own function: decide(records, context) -> decisions.
    decide: Decide | None = None
    combine: str | None = None
    outcome_keys: tuple[str, ...] = ()
    options: tuple[CommandOption, ...] = ()
    # The option whose value is the review period (context.period), if any.
    period_option: str | None = None
    # Another command whose input is fed through its hook first, for state only (commission needs
    # the floor events replayed for ownership); its decisions are neither stamped nor logged.
    replay: str | None = None
    # The rules need every input record at once (an allocation of one month's tonnage).
    whole_input: bool = False
    # Options a typical run passes (used by `zhidu demo` and shown in the docs).
    example_options: Mapping[str, Any] = field(default_factory=dict)
    plugin: str = ""


@dataclass
class CommandPlan:
    """One command as the core runs it: the merged declarations of every enabled plugin.

    ``input_kind`` is the first declaring plugin's kind; ``input_kinds`` holds each declaring
    plugin's own (they differ only for a standard command fed from several kinds, see ``kinds``).
    """

    name: str
    title_zh: str
    input_kind: str
    help: str
    hook: str | None
    combine: str
    outcome_keys: tuple[str, ...]
    options: tuple[CommandOption, ...]
    period_option: str | None
    replay: str | None
    whole_input: bool
    example_options: dict[str, Any]
    declared_by: list[str]
    # A plugin's own command: plugin -> its decide function.
    own_decide: dict[str, Decide] = field(default_factory=dict)
    # (plugin name, function, the hook's records argument or None for decide(records, context)), in call order.
    implementations: list[tuple[str, Callable[..., Any], str | None]] = field(default_factory=list)
    # plugin -> the input kind it declared, and the outcome keys it declared (beyond the hook's contract).
    input_kinds: dict[str, str] = field(default_factory=dict)
    declared_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    contract_keys: tuple[str, ...] = ()

    def option(self, name: str) -> CommandOption | None:
        return next((o for o in self.options if o.name == name), None)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every input kind the command reads, in the order the plugins declaring them were enabled."""
        return tuple(dict.fromkeys(self.input_kinds.values())) or (self.input_kind,)

    def plugins_of(self, kind: str) -> list[str]:
        return [plugin for plugin, declared in self.input_kinds.items() if declared == kind]

    def kinds_by_plugin(self) -> list[str]:
        """``["conduct_incident (realestate)", "staff_incident (retail)"]``, for messages and help."""
        return [f"{kind} ({', '.join(self.plugins_of(kind))})" for kind in self.kinds]

    def implementations_for(self, kind: str) -> list[tuple[str, Callable[..., Any], str | None]]:
        """The implementations that decide records of ``kind``: those of the plugins that declared it."""
        return [impl for impl in self.implementations if self.input_kinds.get(impl[0], self.input_kind) == kind]

    def outcome_keys_for(self, kind: str) -> tuple[str, ...]:
        """The keys a decision on ``kind`` must hold: the hook's, plus those declared by the plugins
        reading that kind (plugins sharing a kind share their promises, as before; another kind's
        plugins do not impose theirs)."""
        keys = list(self.contract_keys)
        for plugin in self.plugins_of(kind):
            keys.extend(self.declared_keys.get(plugin, ()))
        return tuple(dict.fromkeys(keys))

    def kind_of_records(self, records: Sequence[Any], kinds: KindRegistry) -> str:
        """The input kind whose record class ``records`` are (the only kind when there is one)."""
        if len(self.kinds) == 1 or not records:
            return self.kinds[0]
        for name in self.kinds:
            if isinstance(records[0], kinds.get(name).record_class):
                return name
        raise CommandError(f"command '{self.name}': records of type {type(records[0]).__name__} are none of its input kinds ({', '.join(self.kinds)})")

    @property
    def own_plugin(self) -> str | None:
        """The plugin whose own command this is (None for a standard hook's command)."""
        return None if self.hook else self.declared_by[0]


def build_plans(declared: Mapping[str, Iterable[DecisionCommand]], kinds: KindRegistry, pm: Any) -> dict[str, CommandPlan]:
    """Merge the enabled plugins' declarations (``declared``: plugin -> commands, enabling order)."""
    plans: dict[str, CommandPlan] = {}
    for plugin, items in declared.items():
        for command in items or ():
            if not isinstance(command, DecisionCommand):
                raise CommandError(f"plugin '{plugin}': decision_commands returned {type(command).__name__}, expected DecisionCommand")
            command = replace(command, plugin=plugin)
            _check(command, kinds)
            plan = plans.get(command.name)
            if plan is None:
                plans[command.name] = _plan(command)
            else:
                _merge(plan, command)
    for hook_name, contract in hookspecs.DECISION_HOOKS.items():
        impls = getattr(pm.hook, hook_name).get_hookimpls()
        plan = next((p for p in plans.values() if p.hook == hook_name), None)
        for impl in impls:
            if plan is None or impl.plugin_name not in plan.declared_by:
                raise CommandError(
                    f"plugin '{impl.plugin_name}' implements {hook_name} but declares no '{contract.command}' command "
                    f"for it: return DecisionCommand('{contract.command}', ..., hook='{hook_name}', input_kind=...) from decision_commands"
                )
        if plan is not None:
            arg = getattr(pm.hook, hook_name).spec.argnames[0]
            # pluggy calls the last registered (and tryfirst) implementation first: so does the core.
            plan.implementations = [(i.plugin_name, i.function, arg) for i in reversed(impls)]
    for plan in plans.values():
        if plan.hook is None:
            plan.implementations = [(name, fn, None) for name, fn in reversed(list(plan.own_decide.items()))]
        if plan.replay is not None and plan.replay not in plans:
            raise CommandError(f"command '{plan.name}' replays command '{plan.replay}', which no enabled plugin declares")
    return plans


def _check(command: DecisionCommand, kinds: KindRegistry) -> None:
    where = f"plugin '{command.plugin}': command '{command.name}'"
    if command.input_kind not in kinds:
        raise CommandError(f"{where}: input kind '{command.input_kind}' is not declared by the enabled plugins")
    if (command.hook is None) == (command.decide is None):
        raise CommandError(f"{where}: give exactly one of hook= (a standard decision hook) or decide= (the plugin's own function)")
    if command.hook is not None:
        contract = hookspecs.DECISION_HOOKS.get(command.hook)
        if contract is None:
            raise CommandError(f"{where}: unknown decision hook '{command.hook}'; hooks: {', '.join(hookspecs.DECISION_HOOKS)}")
        if command.name != contract.command:
            raise CommandError(f"{where}: hook {command.hook} feeds the '{contract.command}' command")
    elif command.combine not in (None, *COMBINE_MODES):
        raise CommandError(f"{where}: combine must be one of {', '.join(COMBINE_MODES)}")
    names = [o.name for o in command.options]
    if len(set(names)) != len(names):
        raise CommandError(f"{where}: an option is declared twice")
    if KIND_OPTION in names:
        raise CommandError(f"{where}: --{KIND_OPTION} is the core's option (the kind of FILE); name the option otherwise")
    for option in command.options:
        if option.records_kind is not None and option.records_kind not in kinds:
            raise CommandError(f"{where}: option --{option.name} reads kind '{option.records_kind}', which is not declared")
    if command.period_option is not None and command.period_option not in names:
        raise CommandError(f"{where}: period_option '{command.period_option}' is not one of its options")


def _plan(command: DecisionCommand) -> CommandPlan:
    if command.hook is not None:
        contract = hookspecs.DECISION_HOOKS[command.hook]
        combine, keys = contract.combine, tuple(dict.fromkeys(contract.outcome_keys + command.outcome_keys))
    else:
        combine, keys = command.combine or "all", command.outcome_keys
    plan = CommandPlan(
        name=command.name, title_zh=command.title_zh, input_kind=command.input_kind, help=command.help,
        hook=command.hook, combine=combine, outcome_keys=keys, options=command.options,
        period_option=command.period_option, replay=command.replay, whole_input=command.whole_input,
        example_options=dict(command.example_options), declared_by=[command.plugin],
        own_decide={command.plugin: command.decide} if command.decide else {},
        input_kinds={command.plugin: command.input_kind}, declared_keys={command.plugin: command.outcome_keys},
        contract_keys=hookspecs.DECISION_HOOKS[command.hook].outcome_keys if command.hook else (),
    )
    return plan


def _merge(plan: CommandPlan, command: DecisionCommand) -> None:
    where = f"command '{command.name}' (plugins {', '.join(plan.declared_by)} and {command.plugin})"
    if command.hook is None or plan.hook is None:
        raise CommandError(f"{where}: a plugin's own command has one owner; rename one of them or enable only one plugin")
    if command.hook != plan.hook:
        raise CommandError(f"{where}: declarations disagree on the hook")
    by_name = {o.name: o for o in plan.options}
    for option in command.options:
        # The same option must behave the same for every plugin; each may word its help its own way.
        if option.name in by_name and replace(by_name[option.name], help=option.help) != option:
            raise CommandError(f"{where}: option --{option.name} is declared differently")
        by_name.setdefault(option.name, option)
    plan.options = tuple(by_name.values())
    plan.outcome_keys = tuple(dict.fromkeys(plan.outcome_keys + command.outcome_keys))
    plan.period_option = plan.period_option or command.period_option
    plan.replay = plan.replay or command.replay
    plan.example_options.update(command.example_options)
    plan.declared_by.append(command.plugin)
    plan.input_kinds[command.plugin] = command.input_kind
    plan.declared_keys[command.plugin] = command.outcome_keys
