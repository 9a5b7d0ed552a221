"""Purchasing power: one pay figure at market FX, in PPP international dollars and, for US metros,
in RPP-adjusted dollars; and an amount in one place restated as the pay of equal purchasing
power in another ("EUR 95K in Berlin is worth $X in Austin").

- market FX: the ECB average rate of the year (``payatlas.normalize.fx``);
- PPP: World Bank PA.NUS.PPP, local currency units per international dollar (US = 1), the
  latest year at or before the one asked for; the amount is first put in the country's currency
  at market FX when it is given in another;
- RPP: BEA regional price parities 2024 (US = 100) by metro; US dollars / (RPP / 100) are
  dollars of national-average purchasing power. A US place outside an RPP metro uses 100.

Equivalent pay: ``intl$ = local / PPP_origin / (RPP_origin / 100)``, then
``target local = intl$ * PPP_target * (RPP_target / 100)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from payatlas.errors import InvalidInput, UnknownCurrency
from payatlas.normalize.countries import country_name, local_currency
from payatlas.normalize.fx import usd_rate
from payatlas.normalize.places import Place, UnknownPlace, resolve_place
from payatlas.official.datasets import BEA, WORLD_BANK
from payatlas.official.oews import query_official
from payatlas.store import Store

ECB = "European Central Bank reference rates (market FX)"


@dataclass(frozen=True, slots=True)
class PowerValue:
    """One amount in one place, in three units."""

    amount: float
    currency: str
    place: Place
    year: int
    local_currency: str
    amount_local: float | None
    usd_market: float | None
    ppp_factor: float | None
    ppp_year: int | None
    ppp_international_dollars: float | None
    rpp: float | None
    rpp_adjusted_usd: float | None
    notes: tuple[str, ...] = field(default=())

    @property
    def where(self) -> str:
        if self.place.metro is not None:
            return self.place.city or self.place.metro.principal_cities[0]
        return self.place.city or country_name(self.place.country or "US")

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "place"}
        out["place"] = self.place.as_dict()
        out["notes"] = list(self.notes)
        out["credits"] = [ECB, WORLD_BANK] + ([BEA] if self.rpp is not None else [])
        return out


@dataclass(frozen=True, slots=True)
class Equivalent:
    """``origin`` restated as the pay of equal purchasing power in ``target``."""

    origin: PowerValue
    target: PowerValue
    equivalent_in_target: float | None
    target_currency: str

    @property
    def sentence(self) -> str:
        if self.equivalent_in_target is None:
            return "no PPP factor for one of the places"
        return (
            f"{self.origin.currency} {self.origin.amount:,.0f} in {self.origin.where} is worth "
            f"{self.target_currency} {self.equivalent_in_target:,.0f} in {self.target.where} "
            "in purchasing power"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin.as_dict(),
            "target": self.target.as_dict(),
            "equivalent_in_target": self.equivalent_in_target,
            "target_currency": self.target_currency,
            "sentence": self.sentence,
        }


def _place(text: str) -> Place:
    place = resolve_place(text)
    if place.country is None:
        raise UnknownPlace(f"cannot read the place {text!r}: {place.note}", field="place")
    return place


def _ppp(store: Store, country: str, year: int) -> tuple[float, int] | None:
    rows = query_official(
        store,
        "SELECT ppp, year FROM ppp_factors WHERE country = ? AND year <= ? ORDER BY year DESC "
        "LIMIT 1",
        [country, year],
    )
    return (float(rows[0][0]), int(rows[0][1])) if rows else None


def _rpp(store: Store, place: Place) -> float | None:
    if place.country != "US":
        return None
    if place.metro is None:
        return 100.0
    rows = query_official(store, "SELECT rpp FROM metro_rpp WHERE cbsa = ?", [place.metro.code])
    return float(rows[0][0]) if rows and rows[0][0] is not None else None


def _usd_per(currency: str, year: int) -> float:
    try:
        return usd_rate(currency, year=year).usd_per_unit
    except UnknownCurrency as exc:
        raise UnknownCurrency(exc.reason, field="currency") from None


def purchasing_power(
    store: Store, *, amount: float, currency: str, place: str, year: int = 2024
) -> PowerValue:
    """``amount`` ``currency`` (a year's pay) earned in ``place``, at market FX, in PPP
    international dollars and (US) RPP-adjusted dollars."""
    if not amount > 0:
        raise InvalidInput("amount must be positive", field="amount")
    cur = currency.strip().upper()
    where = _place(place)
    country = str(where.country)
    local = local_currency(country)
    notes: list[str] = list(filter(None, [where.note]))
    usd = amount * _usd_per(cur, year)
    try:
        amount_local = amount if cur == local else usd / _usd_per(local, year)
    except InvalidInput:
        amount_local = None
        notes.append(f"no market rate for {local}: no PPP figure")
    ppp = _ppp(store, country, year)
    intl = None
    if ppp is None:
        notes.append(f"World Bank publishes no PPP factor for {country}")
    elif amount_local is not None:
        intl = amount_local / ppp[0]
        if ppp[1] != year:
            notes.append(f"PPP factor of {ppp[1]} (latest published)")
    rpp = _rpp(store, where)
    rpp_usd = None if rpp is None else usd / (rpp / 100.0)
    if where.country == "US" and where.metro is None:
        notes.append("no metro: RPP = 100 (the US average)")
    return PowerValue(
        amount=float(amount), currency=cur, place=where, year=year, local_currency=local,
        amount_local=_round(amount_local), usd_market=_round(usd),
        ppp_factor=ppp[0] if ppp else None, ppp_year=ppp[1] if ppp else None,
        ppp_international_dollars=_round(intl), rpp=rpp, rpp_adjusted_usd=_round(rpp_usd),
        notes=tuple(notes),
    )  # fmt: skip


def equivalent_pay(
    store: Store, *, amount: float, currency: str, origin: str, target: str, year: int = 2024
) -> Equivalent:
    """``amount`` in ``origin`` restated as the pay of equal purchasing power in ``target``, in
    the target's currency (PPP between countries, RPP between US metros)."""
    a = purchasing_power(store, amount=amount, currency=currency, place=origin, year=year)
    t_place = _place(target)
    t_currency = local_currency(str(t_place.country))
    t_ppp = _ppp(store, str(t_place.country), year)
    value = None
    if a.ppp_international_dollars is not None and t_ppp is not None:
        intl = a.ppp_international_dollars / ((a.rpp or 100.0) / 100.0)
        t_rpp = _rpp(store, t_place) or 100.0
        value = _round(intl * t_ppp[0] * t_rpp / 100.0)
    b = purchasing_power(store, amount=value or 1.0, currency=t_currency, place=target, year=year)
    return Equivalent(origin=a, target=b, equivalent_in_target=value, target_currency=t_currency)


def _round(v: float | None) -> float | None:
    return None if v is None else float(round(v))


def ppp_factor(store: Store, country: str, year: int) -> tuple[float, int] | None:
    """World Bank PPP factor (local currency units per international dollar) of ``country``,
    the latest year at or before ``year``, and that year (None: not published)."""
    return _ppp(store, country, year)


def metro_rpp(store: Store, cbsa: str | None) -> float | None:
    """BEA regional price parity 2024 (US = 100) of a metro; 100 without one (None: the metro
    has no RPP)."""
    if cbsa is None:
        return 100.0
    rows = query_official(store, "SELECT rpp FROM metro_rpp WHERE cbsa = ?", [cbsa])
    return float(rows[0][0]) if rows and rows[0][0] is not None else None
