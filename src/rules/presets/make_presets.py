#!/usr/bin/env python3
"""Writes the built-in scan-mode presets (src/rules/presets/*.json), rule
data in the Swiss rule-set format: national validity rules in the EU rule
format, and one mode each whose logic gives the outcome string.

Run from the repository root: python3 src/rules/presets/make_presets.py
The JSON files are what the crate ships; this script only keeps the four
presets' shared rules written once.

Every preset applies the same validity rules (all passes: COVID-19 as the
target disease; vaccinations: a complete series of a product in the EU value
set, valid from 14 days after the last dose for 270 days, boosters without
expiry; tests: negative, PCR for 72 hours and rapid antigen tests for 24
hours from the sample; recoveries: from 11 to 180 days after the first
positive test). The modes then decide who is admitted:

  3g                           vaccinated, recovered, tested, exempt: SUCCESS;
                               light made from a vaccination, recovery or exemption: SUCCESS;
                               light made from a test, or not saying: INVALID
  2g                           vaccinated, recovered, exempt: SUCCESS; tested: INVALID; light: IS_LIGHT
  2g-plus                      exempt, or vaccinated/recovered within 120 days: SUCCESS;
                               vaccinated/recovered earlier: SUCCESS_2G (needs a test too);
                               tested: SUCCESS_2G_PLUS (completes a 2G pass); light: IS_LIGHT
  vaccinated-recovered-exempt  vaccinated or recovered within 6 months, exempt: SUCCESS;
                               light made from a vaccination, recovery or exemption: SUCCESS;
                               vaccinated/recovered earlier, tested, light made from a test
                               or not saying: INVALID
                               (the shape of the 2021 regional QR-pass mandates)

A light pass outlives the test it was made from (a test admits for 24 to 72
hours, a light pass lives up to a week), so no preset admits a light pass made
from a test, nor one that does not say what it was made from (payload.h.
lightSource); an issuer serving a policy makes light passes only from what
that policy admits (issue --light --preset/--rules).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def var(p):
    return {"var": p}


def clock(days=0):
    return {"plusTime": [var("external.validationClock"), days, "day"]}


def plus(path, n, unit):
    return {"plusTime": [var(path), n, unit]}


def rule(identifier, ctype, desc, fields, logic):
    return {
        "Identifier": identifier, "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "1.3.3",
        "CertificateType": ctype, "Description": [{"lang": "en", "desc": desc}],
        "ValidFrom": "2021-01-01T00:00:00Z", "ValidTo": "2100-01-01T00:00:00Z",
        "AffectedFields": fields, "Logic": logic,
    }


COVID = "840539006"
RULES = [
    rule("GR-XX-0001", "General", "The targeted disease agent must be COVID-19.",
         ["v.0.tg", "t.0.tg", "r.0.tg", "e.0.tg"],
         {"and": [
             {"if": [var("payload.v.0"), {"===": [var("payload.v.0.tg"), COVID]}, True]},
             {"if": [var("payload.t.0"), {"===": [var("payload.t.0.tg"), COVID]}, True]},
             {"if": [var("payload.r.0"), {"===": [var("payload.r.0.tg"), COVID]}, True]},
             {"if": [var("payload.e.0"), {"===": [var("payload.e.0.tg"), COVID]}, True]},
         ]}),
    rule("VR-XX-0001", "Vaccination", "The vaccination series must be complete (dose number at least the total).",
         ["v.0.dn", "v.0.sd"],
         {">=": [var("payload.v.0.dn"), var("payload.v.0.sd")]}),
    rule("VR-XX-0002", "Vaccination", "The vaccine must be a medicinal product of the EU value set.",
         ["v.0.mp"],
         {"in": [var("payload.v.0.mp"), var("external.valueSets.vaccines-covid-19-names")]}),
    rule("VR-XX-0003", "Vaccination", "The vaccination is valid from 14 days after the last dose.",
         ["v.0.dt"],
         {"not-before": [clock(), plus("payload.v.0.dt", 14, "day")]}),
    rule("VR-XX-0004", "Vaccination", "A primary series is valid for 270 days; a booster does not expire.",
         ["v.0.dn", "v.0.sd", "v.0.dt"],
         {"if": [{">": [var("payload.v.0.dn"), var("payload.v.0.sd")]}, True,
                 {"before": [clock(), plus("payload.v.0.dt", 284, "day")]}]}),
    rule("TR-XX-0001", "Test", "The test result must be negative (not detected).",
         ["t.0.tr"],
         {"===": [var("payload.t.0.tr"), "260415000"]}),
    rule("TR-XX-0002", "Test", "The test must be a PCR test or a rapid antigen test.",
         ["t.0.tt"],
         {"in": [var("payload.t.0.tt"), ["LP6464-4", "LP217198-3"]]}),
    rule("TR-XX-0003", "Test", "A PCR test is valid for 72 hours, a rapid antigen test for 24 hours, from the sample.",
         ["t.0.tt", "t.0.sc"],
         {"and": [
             {"not-before": [clock(), plus("payload.t.0.sc", 0, "hour")]},
             {"if": [{"===": [var("payload.t.0.tt"), "LP6464-4"]},
                     {"before": [clock(), plus("payload.t.0.sc", 72, "hour")]},
                     {"before": [clock(), plus("payload.t.0.sc", 24, "hour")]}]},
         ]}),
    rule("RR-XX-0001", "Recovery", "A recovery is valid from 11 to 180 days after the first positive test.",
         ["r.0.fr"],
         {"and": [
             {"not-before": [clock(), plus("payload.r.0.fr", 11, "day")]},
             {"before": [clock(), plus("payload.r.0.fr", 181, "day")]},
         ]}),
]

LIGHT = var("payload.h.isLight")
# A light pass made from a vaccination, recovery or exemption.
LIGHT_LASTING = {"and": [LIGHT, {"in": [var("payload.h.lightSource"), ["v", "r", "e"]]}]}
V, T, R, E = var("payload.v.0"), var("payload.t.0"), var("payload.r.0"), var("payload.e.0")


def cases(*pairs, default="INVALID"):
    """if (c1) r1 else if (c2) r2 … else default."""
    out = default
    for cond, result in reversed(pairs):
        out = {"if": [cond, result, out]}
    return out


def within(path, n, unit):
    return {"before": [clock(), plus(path, n, unit)]}


MODES = {
    "3g": ("3G: vaccinated, recovered or tested", cases(
        (LIGHT_LASTING, "SUCCESS"), (LIGHT, "INVALID"),
        (E, "SUCCESS"), (V, "SUCCESS"), (R, "SUCCESS"), (T, "SUCCESS"))),
    "2g": ("2G: vaccinated or recovered", cases(
        (LIGHT, "IS_LIGHT"), (E, "SUCCESS"), (V, "SUCCESS"), (R, "SUCCESS"), (T, "INVALID"))),
    "2g-plus": ("2G+: vaccinated or recovered, and a recent vaccination, recovery or a test", cases(
        (LIGHT, "IS_LIGHT"), (E, "SUCCESS"),
        (V, {"if": [within("payload.v.0.dt", 120, "day"), "SUCCESS", "SUCCESS_2G"]}),
        (R, {"if": [within("payload.r.0.fr", 120, "day"), "SUCCESS", "SUCCESS_2G"]}),
        (T, "SUCCESS_2G_PLUS"))),
    "vaccinated-recovered-exempt": (
        "Vaccinated or recovered within 6 months, or medically exempt", cases(
            (LIGHT_LASTING, "SUCCESS"), (LIGHT, "INVALID"), (E, "SUCCESS"),
            (V, {"if": [within("payload.v.0.dt", 6, "month"), "SUCCESS", "INVALID"]}),
            (R, {"if": [within("payload.r.0.fr", 6, "month"), "SUCCESS", "INVALID"]}),
            (T, "INVALID"))),
}

for name, (display, logic) in MODES.items():
    doc = {
        "rules": RULES,
        "modeRules": {"activeModes": [{"id": name, "displayName": display}], "logic": logic},
    }
    with open(os.path.join(HERE, f"{name}.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"src/rules/presets/{name}.json")
