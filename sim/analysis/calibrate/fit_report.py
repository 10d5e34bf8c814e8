"""``report.html`` of a calibration study: targets before and after, waves, posterior, ESS."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.analysis import html  # noqa: E402
from sim.analysis.calibrate.emulated import CHECK_SD  # noqa: E402
from sim.analysis.calibrate.noise import CHANCE_LOG_UNITS  # noqa: E402
from sim.analysis.calibrate.study import Fit  # noqa: E402

BINS = 15
DPI = 90


def _pct(share: Any) -> str:
    """A share as a percentage with one decimal."""
    return f"{100 * float(share):.1f}%"


def _png(fig: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def pairs_plot(fit: Fit) -> bytes:
    """Posterior marginals (weighted histograms, prior range as the x-axis) and pairs."""
    d = fit.prior.dims
    fig, axes = plt.subplots(d, d, figsize=(2.2 * d + 1, 2.2 * d + 1), squeeze=False)
    v, w = fit.posterior_values, fit.weights
    for i in range(d):
        for j in range(d):
            ax = axes[i][j]
            lo_j, hi_j = fit.prior.specs[j].low, fit.prior.specs[j].high
            if i == j:
                ax.hist(v[:, j], bins=BINS, range=(lo_j, hi_j), weights=w, color="#3a6ea5")
            elif i > j:
                ax.scatter(v[:, j], v[:, i], s=8 + 200 * w, c=w, cmap="viridis", alpha=0.8)
                ax.set_ylim(fit.prior.specs[i].low, fit.prior.specs[i].high)
            else:
                ax.axis("off")
                continue
            ax.set_xlim(lo_j, hi_j)
            if i == d - 1:
                ax.set_xlabel(fit.prior.paths[j].split(".")[-1], fontsize=7)
            if j == 0 and i > 0:
                ax.set_ylabel(fit.prior.paths[i].split(".")[-1], fontsize=7)
            ax.tick_params(labelsize=6)
    return _png(fig)


def targets_plot(table: pd.DataFrame) -> bytes:
    """Each target's observed value against its prior and posterior predictive intervals,
    scaled to the prior interval (0 to 1) so targets of all units share one axis."""
    n = len(table)
    fig, ax = plt.subplots(figsize=(7, 0.3 * n + 1))
    span = (table["prior_high"] - table["prior_low"]).replace(0, 1).to_numpy()
    lo = table["prior_low"].to_numpy()
    y = np.arange(n)[::-1]
    ax.hlines(y + 0.15, 0, 1, color="#bbbbbb", lw=4, label="prior predictive 95%")
    ax.hlines(
        y - 0.15,
        (table["posterior_low"] - lo) / span,
        (table["posterior_high"] - lo) / span,
        color="#3a6ea5",
        lw=4,
        label="posterior predictive 95%",
    )
    ax.plot((table["observed"] - lo) / span, y, "k|", ms=12, mew=2, label="observed")
    ax.set_yticks(y, table["target"], fontsize=7)
    ax.set_xlabel("position within the prior predictive interval")
    ax.legend(fontsize=7, loc="lower right")
    return _png(fig)


def _noise_line(meta: dict[str, object]) -> str:
    """How much of the posterior's simulated likelihood is chance (``sim.analysis.calibrate.noise``)."""
    noise = meta.get("likelihood_noise")
    if not isinstance(noise, dict) or noise.get("sets", 0) < 2:
        return "The likelihood's chance spread needs two or more replications per parameter set."
    within, between = float(noise["within_sd"]), float(noise["between_sd"])
    verdict = (
        "the weights follow the luck of the draws more than the parameters: more points raise "
        "the effective sample size only in proportion (docs/calibration.md, Session 12)"
        if within >= CHANCE_LOG_UNITS
        else "the weights follow the parameters"
    )
    return (
        f"One replication's log-likelihood varies by {within:.1f} log units (SD) between "
        f"replications of the same parameter set, against {between:.1f} between the "
        f"{noise['sets']} sets: {verdict}."
    )


def _check_line(fit: Fit) -> str:
    """How well the posterior's emulators predicted the posterior ensemble's runs."""
    check = fit.emulator_check
    if check is None or not check.pairs:
        return ""
    worst = ", ".join(f"{name} {100 * share:.0f}%" for name, share in check.worst.items())
    which = "The refined emulators" if fit.refinements else "The last wave's emulators"
    scaled = ""
    if fit.loo_scales is not None:
        finite = fit.loo_scales[np.isfinite(fit.loo_scales)]
        scaled = (
            ", their variances scaled by their leave-one-out mean squares (median "
            f"{np.median(finite):.2f}, largest {finite.max():.2f}; none scaled below the GP's),"
            if len(finite)
            else ""
        )
    return (
        f"{which}{scaled} predicted {100 * check.within_share:.0f}% of the posterior "
        f"ensemble's {check.pairs} outputs within {CHECK_SD:.0f} of their SDs (95% for "
        f"emulators that are right about what they do not know); worst: {worst}."
    )


def _refine_line(fit: Fit, sampler: object = "pool") -> str:
    """The refinement rounds: what each ran, and how well the emulators before it knew it."""
    if not fit.refinements:
        return ""
    rounds = "; ".join(
        f"round {r.number}: {r.points} sets ({r.runs} replications, {r.seconds:.0f} s), "
        f"{100 * r.within_share:.0f}% of their outputs within {CHECK_SD:.0f} SDs of the "
        f"emulators that chose them, ESS {r.ess_before:.1f} -> {r.ess_after:.1f}"
        for r in fit.refinements
    )
    return (
        "Refinement (sets drawn from the emulated posterior"
        + (", a population Monte Carlo sample of it" if sampler == "pmc" else "")
        + f", run, and added to the emulators' training runs before the ensemble was drawn): "
        f"{rounds}."
    )


def render(
    name: str,
    fit: Fit,
    targets_fit: pd.DataFrame,
    waves: pd.DataFrame,
    marginals: pd.DataFrame,
    meta: dict[str, object],
) -> str:
    """The whole report as one HTML document."""
    verdict = f"{'passes' if meta['ess_ok'] else 'FAILS'} the file's minimum of {meta['min_ess']}"
    if fit.weights_basis == "emulated":
        ess_line = (
            f"Effective sample size {fit.ess:.1f} of the emulated posterior over {fit.pool_size:,} "
            + (
                "draws of its last population Monte Carlo iteration inside the space the waves "
                "left standing"
                if meta.get("posterior_sampler") == "pmc"
                else "fresh prior draws the waves left standing"
            )
            + f" ({verdict}); the ensemble's "
            f"{len(fit.weights)} distinct parameter sets were drawn from it and run, each "
            "weighted by its share of the draws."
        )
    else:
        picked = (
            "drawn from the emulators' tempered likelihood mixed with the uniform, weighted by "
            "likelihood ÷ proposal"
            if meta.get("posterior_proposal") == "emulator"
            else "drawn uniformly from the space not ruled out, weighted by their likelihood"
        )
        ess_line = (
            f"Effective sample size {fit.ess:.1f} of {len(fit.weights)} parameter sets, "
            f"{picked} ({verdict})."
        )
    misses = targets_fit.loc[~targets_fit["inside_posterior"], "target"].tolist()
    unreachable = targets_fit.loc[~targets_fit["inside_prior"], "target"].tolist()
    binding = targets_fit.sort_values("ruled_out_share", ascending=False).head(5)
    parts = [
        html.section(
            "summary",
            f"Calibration: {name}",
            "".join(
                [
                    html.paragraph(str(meta["description"])),
                    html.paragraph(
                        f"Simulator: {meta['simulator']} ({meta['simulator_note']}). {'Quick look' if meta['quick'] else 'Full study'}: "
                        f"{len(fit.waves)} wave(s), {meta['replications']} replication(s) per parameter set, "
                        f"{meta['runs']} replications in all, {meta['seconds']:.0f} s"
                        + (
                            " in this resumed invocation (finished runs were reused)."
                            if meta["resumed"]
                            else "."
                        )
                    ),
                    html.paragraph(ess_line),
                    html.paragraph(_noise_line(meta)),
                    html.paragraph(_refine_line(fit, meta.get("refine_sampler"))),
                    html.paragraph(_check_line(fit)),
                    html.paragraph(
                        f"Only {len(fit.weights) - fit.topped_up} parameter set(s) were left inside the space "
                        f"not ruled out; the posterior stage added the {fit.topped_up} closest candidates "
                        "(those that survived the most waves, then the least implausible)."
                    )
                    if fit.topped_up
                    else "",
                    html.paragraph(
                        "The whole space was ruled out, or all but fewer candidates than a wave runs: the "
                        "least implausible were kept, and the model cannot reach the targets "
                        "within these priors."
                        if fit.nroy_empty
                        else f"Space not ruled out after the last wave: {100 * float(fit.remaining.mean()):.1f}% of the prior."
                    ),
                    html.paragraph(
                        "Targets the model cannot reach within the priors (outside even the prior "
                        "predictive 95% interval; a mechanism to mend, not parameters to bend): "
                        + (", ".join(unreachable) if unreachable else "none")
                        + "."
                    ),
                    html.paragraph(
                        "Targets outside the posterior predictive 95% interval: "
                        + (", ".join(misses) if misses else "none")
                        + "."
                    ),
                ]
            ),
        ),
        html.section(
            "targets",
            "Targets against the model, before and after",
            "".join(
                [
                    html.figure(
                        html.png_image(targets_plot(targets_fit), "targets"),
                        "Observed value (black) against the prior (grey) and posterior (blue) predictive 95% intervals.",
                    ),
                    html.table(
                        [
                            "target",
                            "family",
                            "observed",
                            "prior 95%",
                            "posterior 95%",
                            "inside",
                            "space it ruled out",
                        ],
                        [
                            [
                                r.target,
                                r.family,
                                html.estimate(r.observed),
                                html.interval(r.prior_low, r.prior_high),
                                html.interval(r.posterior_low, r.posterior_high),
                                "yes" if r.inside_posterior else "no",
                                _pct(r.ruled_out_share),
                            ]
                            for r in targets_fit.itertuples()
                        ],
                        [False, False, True, True, True, False, True],
                    ),
                ]
            ),
        ),
        html.section(
            "binding",
            "Which targets bind",
            html.paragraph(
                "Share of the prior space that each target alone put above the implausibility cut-off in some wave "
                "(the targets that bind first): "
                + "; ".join(f"{r.target} {_pct(r.ruled_out_share)}" for r in binding.itertuples())
                + "."
            ),
        ),
        html.section(
            "waves",
            "History-matching waves",
            html.table(
                [
                    "wave",
                    "parameter sets",
                    "runs",
                    "space left before",
                    "space left after",
                    "ruled out this wave",
                    "seconds",
                ],
                [
                    [
                        r.wave,
                        r.points,
                        r.runs,
                        _pct(r.space_left_before),
                        _pct(r.space_left_after),
                        _pct(r.ruled_out_this_wave),
                        r.seconds,
                    ]
                    for r in waves.itertuples()
                ],
                [True] * 7,
            ),
        ),
        html.section(
            "posterior",
            "Posterior",
            "".join(
                [
                    html.table(
                        ["parameter", "prior range", "posterior mean", "5%", "median", "95%"],
                        [
                            [
                                r.parameter,
                                html.interval(r.prior_low, r.prior_high),
                                html.estimate(r.posterior_mean),
                                html.estimate(r.q05),
                                html.estimate(r.q50),
                                html.estimate(r.q95),
                            ]
                            for r in marginals.itertuples()
                        ],
                        [False, True, True, True, True, True],
                    ),
                    html.figure(
                        html.png_image(pairs_plot(fit), "posterior pairs"),
                        "Posterior marginals (weighted histograms over the prior range) and pairs (size and colour: weight).",
                    ),
                ]
            ),
        ),
    ]
    contents = [
        ("summary", "Summary"),
        ("targets", "Targets"),
        ("binding", "Binding"),
        ("waves", "Waves"),
        ("posterior", "Posterior"),
    ]
    return html.page(f"Calibration {name}", "".join(parts), contents)
