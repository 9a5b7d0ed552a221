"""The metro step: a US estimate times an OEWS metro differential, its range widened.

The survey model knows countries, not metros. For a profile with a US metro, the model's US
estimate is multiplied by the metro's differential (:mod:`payatlas.official.differential`) and
each quantile is widened by the differential's uncertainty: in logs,
``q' = log(P50 * d) +/- sqrt((log q - log P50)^2 + (z_q * sd)^2)`` with ``z_q`` the standard
normal quantile of q. A reason "Austin vs US" carries the differential as a premium; ``metro``
carries the metro, the differential and its source. Evidence counts, confidence and the other
reasons are the US estimate's (the survey has no metro records).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from payatlas.errors import InvalidInput
from payatlas.model.estimate import PCTS, Estimate, LocalRange, money
from payatlas.model.reasons import Reason
from payatlas.normalize.metros import resolve_metro
from payatlas.official.differential import Differential, metro_differential

#: standard normal quantiles of P10, P25, P50, P75, P90
Z = (-1.2815515655446004, -0.6744897501960817, 0.0, 0.6744897501960817, 1.2815515655446004)
#: flag: the differential comes from a proxy, fallback or pooled occupation
METRO_PROXY = "metro_differential_proxy"


def widen(quantiles: tuple[float, ...], *, ratio: float, log_sd: float) -> tuple[float, ...]:
    """P10..P90 scaled by ``ratio`` and widened by ``log_sd`` (see the module docstring)."""
    mid = math.log(quantiles[2]) + math.log(ratio)
    out = []
    for q, z in zip(quantiles, Z, strict=True):
        gap = math.log(q) - math.log(quantiles[2])
        half = math.sqrt(gap**2 + (z * log_sd) ** 2)
        out.append(float(round(math.exp(mid + math.copysign(half, z if z else gap)))))
    return tuple(out)


def apply_metro(est: Estimate, *, metro: str, store: Any) -> Estimate:
    """``est`` (a US estimate) for the US metro ``metro`` (code, title or "City, ST")."""
    if est.country != "US":
        raise InvalidInput(
            f"a metro is for US estimates; this profile's country is {est.country}",
            field="metro",
        )
    match = resolve_metro(metro)
    diff = metro_differential(store, family=est.role_family, metro=match)
    usd = widen((est.p10, est.p25, est.p50, est.p75, est.p90), ratio=diff.ratio,
                log_sd=diff.log_sd)  # fmt: skip
    local = _local(est.local, usd)
    formatted = {p: money(v, "USD") for p, v in zip(PCTS, usd, strict=True)}
    formatted.update({f"local_{p}": money(getattr(local, p), local.currency) for p in PCTS})
    flags = est.flags + ((METRO_PROXY,) if diff.match != "direct" else ())
    reason = Reason("metro", diff.label, (diff.ratio - 1.0) * 100.0)
    return replace(
        est,
        p10=usd[0],
        p25=usd[1],
        p50=usd[2],
        p75=usd[3],
        p90=usd[4],
        local=local,
        formatted=formatted,
        flags=flags,
        reasons=(*est.reasons, reason),
        basis=est.basis + "; times a metro differential from BLS OEWS (official statistics)",
        metro=_metro_dict(match.as_dict(), diff),
    )


def _local(local: LocalRange, usd: tuple[float, ...]) -> LocalRange:
    values = [float(round(v / local.usd_per_unit)) for v in usd]
    return replace(local, p10=values[0], p25=values[1], p50=values[2], p75=values[3],
                   p90=values[4])  # fmt: skip


def _metro_dict(match: dict[str, Any], diff: Differential) -> dict[str, Any]:
    return {**match, "differential": diff.as_dict()}
