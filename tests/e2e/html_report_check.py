"""Checks a report's DOM, as headless Chromium rendered it, against the JSON
output of the same run: every value the page marks with data-key must equal
the JSON figure, to the decimals the page shows. With a model (JSON "mode":
"monte_carlo") that is the mean over the draws, each end of every interval
(data-bound, and data-low and data-high of each whisker over a bar), each day of the recovery curve (data-day), each action kind's
cost (data-action), and whether a difference is distinguishable from zero
(data-distinguishable). Used by html_report_browser.sh.

    python3 html_report_check.py compare PAGE.dom RUN.json     (replay or --model)
    python3 html_report_check.py explain PAGE.dom RUN.json
Prints what it compared; exits 1 on the first mismatch list, 2 on bad use."""
import json
import sys
from decimal import Decimal
from html.parser import HTMLParser


class Values(HTMLParser):
    """Collects the text of every element carrying data-key, with its attributes."""

    def __init__(self):
        super().__init__()
        self.values, self.stack = [], []
        self.svgs, self.titles, self.descs, self.whiskers = 0, 0, 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.svgs += tag == "svg"
        self.titles += tag == "title"
        self.descs += tag == "desc"
        if "data-key" in attrs and "data-low" in attrs:
            # A whisker over a bar: its interval's ends are attributes.
            self.whiskers += 1
            for bound in ("low", "high"):
                self.values.append(({**attrs, "data-bound": bound}, attrs["data-" + bound]))
        elif "data-key" in attrs:
            self.stack.append([attrs, ""])

    def handle_endtag(self, tag):
        if tag == "span" and self.stack:
            self.values.append(tuple(self.stack.pop()))

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1] += data


def number(text):
    """'1,234.50 USD' -> (Decimal, decimals shown); 'n/a' -> None."""
    text = text.strip()
    if text == "n/a":
        return None, 0
    for suffix in (" pt", "%"):
        text = text.removesuffix(suffix)
    text = text.split(" ")[0].replace(",", "").lstrip("+")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(text), decimals


def same(shown, expected):
    value, decimals = number(shown)
    if expected is None:
        return value is None
    if value is None:
        return False
    return abs(value - Decimal(str(expected))) <= Decimal(5) / Decimal(10) ** (decimals + 1)


def net(figures):
    return Decimal(figures["collected"]) - Decimal(figures["contact_cost"]) - Decimal(figures["contingency_fees"])


def check_compare(values, data):
    policies = data["policies"]
    mismatches, compared = [], 0
    for attrs, shown in values:
        key = attrs["data-key"]
        if "data-policy" in attrs:
            policy = policies[int(attrs["data-policy"]) - 1]
            figures = policy["overall"]
            if "data-segment" in attrs:
                name = "" if attrs["data-segment"] == "-" else attrs["data-segment"]
                figures = next(s["figures"] for s in policy["segments"] if s["segment"] == name)
            expected = net(figures) if key == "net_recovered" else figures[key]
        else:
            index = int(attrs["data-difference"])
            if key == "net_recovered":
                expected = net(policies[index - 1]["overall"]) - net(policies[0]["overall"])
            else:
                expected = data["differences"][index - 2]["segments"][0]["figures"][key]
        compared += 1
        if not same(shown, expected):
            mismatches.append(f"{attrs}: the page shows {shown!r}, the JSON has {expected!r}")
    return compared, mismatches


def drawn(summary, attrs):
    """The JSON summary's mean, or the end of its interval the page marks."""
    if summary is None:
        return None
    return summary[attrs.get("data-bound", "mean")]


def check_monte_carlo(values, data):
    policies = data["policies"]
    mismatches, compared, bounds, days, markers = [], 0, 0, 0, 0
    for attrs, shown in values:
        key = attrs["data-key"]
        bounds += "data-bound" in attrs
        if "data-policy" in attrs:
            policy = policies[int(attrs["data-policy"]) - 1]
            if key == "recovery_curve_percent":
                curve = policy[key][attrs.get("data-bound", "mean")]
                expected = curve[min(int(attrs["data-day"]), len(curve) - 1)]
                days += 1
            elif key == "contact_cost_by_action":
                expected = drawn(policy[key][attrs["data-action"]], attrs)
            elif "data-segment" in attrs:
                name = "" if attrs["data-segment"] == "-" else attrs["data-segment"]
                expected = drawn(policy["segments"][name][key], attrs)
            else:
                expected = drawn(policy["figures"][key], attrs)
        else:
            summary = policies[int(attrs["data-difference"]) - 1]["difference_to_baseline"][key]
            expected = drawn(summary, attrs)
            if "data-distinguishable" in attrs:
                markers += 1
                marked = attrs["data-distinguishable"] == "true"
                if summary is not None and marked != summary["distinguishable_from_zero"]:
                    mismatches.append(f"{attrs}: the page says distinguishable={marked}, the JSON "
                                      f"{summary['distinguishable_from_zero']}")
        compared += 1
        if not same(shown, expected):
            mismatches.append(f"{attrs}: the page shows {shown!r}, the JSON has {expected!r}")
    if bounds == 0 or days == 0 or (len(policies) > 1 and markers == 0):
        mismatches.append(f"a Monte Carlo report needs marked intervals ({bounds}), curve days ({days}) "
                          f"and difference markers ({markers})")
    return compared, mismatches


def check_explain(values, data):
    mismatches = []
    for attrs, shown in values:
        expected = data["totals"][attrs["data-key"]]
        if not same(shown, expected):
            mismatches.append(f"{attrs}: the page shows {shown!r}, the JSON has {expected!r}")
    return len(values), mismatches


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("compare", "explain"):
        print(__doc__)
        return 2
    parser = Values()
    with open(sys.argv[2], encoding="utf-8") as dom:
        parser.feed(dom.read())
    with open(sys.argv[3], encoding="utf-8") as run:
        data = json.load(run)
    check = check_compare if sys.argv[1] == "compare" else check_explain
    monte_carlo = sys.argv[1] == "compare" and data.get("mode") == "monte_carlo"
    if monte_carlo:
        check = check_monte_carlo
    compared, mismatches = check(parser.values, data)
    print(f"compared {compared} values on the page with the JSON; {len(mismatches)} differ; "
          f"{parser.svgs} charts, {parser.titles} titles, {parser.descs} descriptions, {parser.whiskers} whiskers")
    for mismatch in mismatches:
        print("  " + mismatch)
    minimum = 60 if sys.argv[1] == "compare" else 6
    if compared < minimum:
        print(f"expected at least {minimum} values on the page")
        return 1
    if parser.svgs == 0 or parser.descs < parser.svgs:
        print("every chart needs a <desc> (its text alternative)")
        return 1
    if monte_carlo and parser.whiskers == 0:
        print("a Monte Carlo report's bar charts need their intervals as whiskers")
        return 1
    if not monte_carlo and parser.whiskers:
        print("a replay's figures are exact: its bar charts have no whiskers")
        return 1
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
