// The HTML report's page, without a browser (tests/e2e/html_report_browser.sh
// renders it in one): the same bytes for the same figures, intervals and
// bands exactly when a model gave them, text escaped, provenance printed,
// and the chart helpers' arithmetic.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/currency.h"
#include "compiler/policy_ir.h"
#include "tools/recoup/html_page.h"
#include "tools/recoup/simulate_command.h"
#include "tools/recoup/svg_chart.h"

namespace recoup::driver {
namespace {

std::size_t Count(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

PolicyColumn Column(const std::string& file, const std::string& name, std::int64_t collected) {
  PolicyColumn column;
  column.file = file;
  column.name = name;
  column.version = "1";
  simulation::Metrics& metrics = column.metrics;
  metrics.currency = *runtime::FindCurrency("USD");
  metrics.as_of = *runtime::Date::ParseIso("2026-06-30");
  metrics.subjects = 2;
  simulation::Figures& f = metrics.overall;
  f.invoices = 2;
  f.customers = 1;
  f.invoiced = 100000;
  f.collected = collected;
  f.applied = collected;
  f.open = 100000 - collected;
  f.contact_cost = 250;
  f.action_costs[static_cast<std::size_t>(compiler::ActionKind::Email)] = 250;
  f.actions[static_cast<std::size_t>(compiler::ActionKind::Email)] = 5;
  f.aging_amount[2] = f.open;
  f.aging_invoices[2] = 1;
  metrics.segments.push_back({"smb", f});
  metrics.collected_on_day = {collected / 2, 0, 0, collected - collected / 2};
  return column;
}

ReportProvenance Provenance() {
  ReportProvenance provenance;
  provenance.recoup_version = "0.1.0";
  provenance.policy_files = {{"a.recoup", std::string(64, 'a')}, {"b.recoup", std::string(64, 'b')}};
  provenance.ledger_rows = {{"invoices", 2}, {"payments", 3}};
  return provenance;
}

TEST_CASE("html report: the same bytes for the same figures, and no intervals without a model", "[report][html]") {
  ReportHeader header{"ledger", *runtime::Date::ParseIso("2026-06-30"), 180, 30};
  std::vector<PolicyColumn> columns{Column("a.recoup", "Baseline", 60000), Column("b.recoup", "Faster <agency>", 70000)};
  std::string page = RenderHtmlReport(header, columns, Provenance());
  CHECK(page == RenderHtmlReport(header, columns, Provenance()));
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("default-src 'none'") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("http://www.w3.org/2000/svg") != std::string::npos);  // the SVG namespace, never fetched
  CHECK(Count(page, "http://") == Count(page, "http://www.w3.org/2000/svg"));
  CHECK(Count(page, "https://") == 0);
  CHECK(page.find("Faster &lt;agency&gt;") != std::string::npos);
  CHECK(page.find("Faster <agency>") == std::string::npos);
  CHECK(page.find("class=\"interval\"") == std::string::npos);
  CHECK(page.find("class=\"band\"") == std::string::npos);
  CHECK(page.find("band-swatch") == std::string::npos);
  CHECK(page.find("error-bar") == std::string::npos);  // exact figures: bars without whiskers
  CHECK(page.find("whisker") == std::string::npos);
  CHECK(page.find("<title>[1] Baseline, 31-60: 400</title>") != std::string::npos);  // the bar's value as its axis prints it
  CHECK(page.find("not distinguishable") == std::string::npos);
  CHECK(page.find("there are no intervals") != std::string::npos);
  // Headline: collected 600.00 and 700.00, the difference +100.00; net less the contact cost.
  CHECK(page.find("data-key=\"collected\" data-policy=\"1\">600.00</span>") != std::string::npos);
  CHECK(page.find("data-key=\"collected\" data-difference=\"2\">+100.00</span>") != std::string::npos);
  CHECK(page.find("data-key=\"net_recovered\" data-policy=\"2\">697.50</span>") != std::string::npos);
  for (const char* id : {"recovery-curve", "aging", "cost-by-action", "segments", "provenance"}) {
    CHECK(page.find(std::string("id=\"") + id + "\"") != std::string::npos);
  }
  CHECK(page.find(std::string(64, 'b')) != std::string::npos);
  CHECK(page.find("2 invoices, 3 payments") != std::string::npos);
  CHECK(page.find("no model, no random draws") != std::string::npos);
  // Every chart has a title and a description for screen readers.
  CHECK(Count(page, "<svg ") == Count(page, "<desc id="));
  CHECK(Count(page, "<svg ") >= 4);
}

// A summary over draws: mean, low, high, as many draws as `defined`.
DrawSummary Drawn(double mean, double low, double high, std::size_t defined = 20) {
  return DrawSummary{mean, low, high, 0.1, defined};
}

// Two policies as a model's Monte Carlo run gives them: means and intervals
// that differ from the first draw's exact figures in the metrics.
std::vector<PolicyColumn> ModelColumns() {
  std::vector<PolicyColumn> columns{Column("a.recoup", "Baseline", 60000), Column("b.recoup", "Faster", 70000)};
  for (std::size_t p = 0; p < 2; ++p) {
    PolicyIntervals intervals;
    intervals.draws = 20;
    intervals.confidence_percent = 90;
    intervals.figures["collected"] = Drawn(p == 0 ? 612.5 : 701.004, 600.1, 789.126);
    intervals.figures["recovery_rate_percent"] = Drawn(p == 0 ? 61.25 : 70.1, 55.25, 74.75);
    intervals.figures["touches_per_customer"] = Drawn(2.5, 2, 3);
    intervals.figures["dso_days"] = Drawn(0, 0, 0, 0);  // undefined in every draw
    intervals.figures["aging_days_31_60"] = Drawn(321.5, 300, 350);
    intervals.figures["aging_days_31_60_invoices"] = Drawn(1.3, 1, 2);
    intervals.segments["smb"]["recovery_rate_percent"] = Drawn(p == 0 ? 61.25 : 70.1, 55.25, 74.75);
    intervals.recovery_curve = {Drawn(30, 28, 33), Drawn(35, 30, 40), Drawn(36, 31, 41), Drawn(70.1, 65, 75)};
    intervals.action_costs.assign(compiler::kActionKindCount, Drawn(0, 0, 0));
    intervals.action_costs[static_cast<std::size_t>(compiler::ActionKind::Email)] = Drawn(2.55, 2.25, 2.75);
    if (p == 1) {
      intervals.differences["recovery_rate_percent"] = Drawn(8.84, 1.5, 18.5);
      intervals.differences["collected"] = Drawn(88.5, -10.25, 190);
    }
    columns[p].intervals = intervals;
  }
  return columns;
}

TEST_CASE("html report: with a model, means, intervals, markers and bands", "[report][html]") {
  ReportHeader header{"ledger", *runtime::Date::ParseIso("2026-06-30"), 3, 30};
  std::vector<PolicyColumn> columns = ModelColumns();
  ReportProvenance provenance = Provenance();
  provenance.model = ModelProvenance{"model.json", std::string(64, 'c'), 42, 20, true};
  std::string page = RenderHtmlReport(header, columns, provenance);
  CHECK(page == RenderHtmlReport(header, columns, provenance));
  // Means, not the first draw's exact figures (600.00, 700.00).
  CHECK(page.find("data-key=\"collected\" data-policy=\"1\">612.50</span>") != std::string::npos);
  CHECK(page.find("data-key=\"collected\" data-policy=\"2\">701.00</span>") != std::string::npos);
  CHECK(page.find("data-key=\"recovery_rate_percent\" data-policy=\"2\">70.1%</span>") != std::string::npos);
  CHECK(page.find("data-key=\"touches_per_customer\" data-policy=\"1\">2.50</span>") != std::string::npos);
  CHECK(page.find("data-key=\"dso_days\" data-policy=\"1\">n/a</span>") != std::string::npos);
  // Each end of an interval is marked for the browser test; money has the currency's decimals.
  CHECK(page.find("90% interval<br><span class=\"bound\" data-key=\"collected\" data-policy=\"1\" data-bound=\"low\">600.10"
                  "</span> to <span class=\"bound\" data-key=\"collected\" data-policy=\"1\" data-bound=\"high\">789.13</span>") !=
        std::string::npos);
  // A difference that excludes zero is plain; one whose interval holds zero is marked.
  CHECK(page.find("data-key=\"recovery_rate_percent\" data-difference=\"2\" data-distinguishable=\"true\">+8.8 pt</span>") !=
        std::string::npos);
  CHECK(page.find("<span class=\"value indistinct\" data-key=\"collected\" data-difference=\"2\" "
                  "data-distinguishable=\"false\">+88.50</span>") != std::string::npos);
  CHECK(Count(page, "not distinguishable from zero</span>") == 1);
  // Aging and cost by kind: means, and the mean count of actions or invoices.
  CHECK(page.find("data-key=\"aging_days_31_60\" data-policy=\"2\">321.50 USD</span> (<span class=\"value\" "
                  "data-key=\"aging_days_31_60_invoices\" data-policy=\"2\">1.3</span> invoices)") != std::string::npos);
  CHECK(page.find("data-key=\"contact_cost_by_action\" data-policy=\"1\" data-action=\"email\">2.55 USD</span>") !=
        std::string::npos);
  // Segments: the mean over the draws.
  CHECK(page.find("data-key=\"recovery_rate_percent\" data-policy=\"2\" data-segment=\"smb\">70.1%</span>") != std::string::npos);
  // The curve: a band per policy with a legend entry, and the data table's means and intervals by day.
  CHECK(Count(page, "class=\"band\"") == 2);
  CHECK(Count(page, "class=\"band-swatch\"") == 2);
  CHECK(page.find("shaded: 90% interval of the draws") != std::string::npos);
  CHECK(page.find("data-key=\"recovery_curve_percent\" data-policy=\"2\" data-day=\"0\">30.0%</span>") != std::string::npos);
  // The bar charts show means with their interval as a whisker, each end marked for the browser test, and
  // the interval in words in the bar's and the whisker's title (tooltip, screen readers).
  const std::string aging = "[1] Baseline, 31-60: mean 321.50 USD, 90% interval 300.00 USD to 350.00 USD";
  CHECK(page.find("<g class=\"error-bar\" data-key=\"aging_days_31_60\" data-policy=\"1\" data-low=\"300.00\" "
                  "data-high=\"350.00\"><title>" + aging + "</title>") != std::string::npos);
  CHECK(page.find("fill=\"#0072B2\"><title>" + aging + "</title></rect>") != std::string::npos);
  CHECK(page.find("<g class=\"error-bar\" data-key=\"contact_cost_by_action\" data-policy=\"2\" data-action=\"email\" "
                  "data-low=\"2.25\" data-high=\"2.75\"><title>[2] Faster, email: mean 2.55 USD, 90% interval 2.25 USD to "
                  "2.75 USD</title>") != std::string::npos);
  CHECK(page.find("data-key=\"recovery_rate_percent\" data-policy=\"2\" data-segment=\"smb\" data-low=") != std::string::npos);
  // Aging (2 policies x 1 bucket with an interval), cost (2 x email) and segments (2 x smb); none for the
  // aging buckets no draw summarised.
  CHECK(Count(page, "<g class=\"error-bar\"") == 6);
  CHECK(Count(page, "class=\"whisker-swatch\"") == 3);
  CHECK(page.find("whiskers: 90% interval of the draws") != std::string::npos);
  CHECK(page.find("Each bar is the mean over the model&#39;s draws, with its 90% interval as a whisker.") != std::string::npos);
  // Provenance names the model, its hash, seed, draws and parameter uncertainty.
  CHECK(page.find("<dt>Seed</dt><dd>42</dd>") != std::string::npos);
  CHECK(page.find("<dt>Draws</dt><dd>20</dd>") != std::string::npos);
  CHECK(page.find("<dt>Parameter uncertainty</dt><dd>yes") != std::string::npos);
  CHECK(page.find(std::string(64, 'c')) != std::string::npos);
  CHECK(page.find("20 Monte Carlo draws (seed 42, with parameter uncertainty)") != std::string::npos);
  CHECK(page.find("there are no intervals") == std::string::npos);
  CHECK(Count(page, "<svg ") == Count(page, "<desc id="));
}

TEST_CASE("svg helpers: round ticks, compact numbers, escaping, a palette safe for colour blindness", "[report][svg]") {
  CHECK(svg::NiceTicks(0, 93.4, 5) == std::vector<double>{0, 20, 40, 60, 80, 100});
  CHECK(svg::NiceTicks(0, 1, 5).size() == 6);
  CHECK(svg::NiceTicks(-30, 150, 7) == std::vector<double>{-50, 0, 50, 100, 150});
  CHECK(svg::NiceTicks(0, 12000, 4) == std::vector<double>{0, 5000, 10000, 15000});
  CHECK(svg::Compact(950) == "950");
  CHECK(svg::Compact(12500) == "12.5k");
  CHECK(svg::Compact(2000000) == "2M");
  CHECK(svg::Escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
  CHECK(std::string(svg::SeriesColour(0)) == "#0072B2");
  CHECK(std::string(svg::SeriesColour(1)) == "#E69F00");
  CHECK(std::string(svg::SeriesDash(0)).empty());
  CHECK(std::string(svg::SeriesDash(1)) != svg::SeriesDash(2));
  CHECK(html::GroupDigits("1234567.50 USD") == "1,234,567.50 USD");
  CHECK(html::GroupDigits("-60208.02") == "-60,208.02");
  CHECK(html::GroupDigits("+950") == "+950");
}

}  // namespace
}  // namespace recoup::driver
