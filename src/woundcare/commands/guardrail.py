"""``woundcare guardrail``: the no-advice guardrail's figures on its labelled corpus."""

from __future__ import annotations

import typer

app = typer.Typer(help="The no-clinical-advice guardrail.", no_args_is_help=True)


@app.command("eval")
def evaluate_command(
    part: list[str] = typer.Option(["dev", "heldout"], "--part",
                                   help="Corpus part(s): dev, heldout."),
    misses: bool = typer.Option(False, "--misses", help="List every sentence judged wrongly."),
) -> None:
    """Advice caught and neutral text passed, per corpus part and per kind."""
    from woundcare.guardrail.evaluation import PARTS, evaluate, format_report

    chosen = [p for p in PARTS if p in part]
    if not chosen or len(chosen) != len(set(part)):
        raise typer.BadParameter(f"parts are {', '.join(PARTS)}")
    typer.echo(format_report(evaluate(chosen), show_misses=misses))
