// The Monte Carlo draws as columns of the HTML report
// (MonteCarloPolicyColumns): means and intervals of every figure, of net
// recovered, of the differences to the first policy, of each day of the
// recovery curve and of each action kind's cost, and the same numbers in
// the JSON report of the same draws.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "runtime/currency.h"
#include "runtime/json.h"
#include "tools/recoup/simulate_monte_carlo.h"

namespace recoup::driver {
namespace {

// One hand-made draw: 1,000.00 USD invoiced, `early` collected on the due
// date and `late` two days after, an email costing `email_cost` cents.
simulation::Metrics Draw(std::int64_t early, std::int64_t late, std::int64_t email_cost) {
  simulation::Metrics metrics;
  metrics.currency = *runtime::FindCurrency("USD");
  metrics.as_of = *runtime::Date::ParseIso("2026-06-30");
  metrics.horizon_days = 3;
  metrics.subjects = 2;
  simulation::Figures& f = metrics.overall;
  f.invoices = 2;
  f.customers = 1;
  f.invoiced = 100000;
  f.collected = early + late;
  f.applied = early + late;
  f.open = 100000 - early - late;
  const auto email = static_cast<std::size_t>(compiler::ActionKind::Email);
  f.actions[email] = 1;
  f.action_costs[email] = email_cost;
  f.contact_cost = email_cost;
  metrics.segments.push_back({"smb", f});
  metrics.collected_on_day = {early, 0, late};
  return metrics;
}

MonteCarloHeader Header() {
  MonteCarloHeader header;
  header.ledger = "ledger";
  header.model = "model.json";
  header.as_of = *runtime::Date::ParseIso("2026-06-30");
  header.horizon_days = 3;
  header.draws = 3;
  header.seed = 7;
  return header;
}

std::vector<MonteCarloColumn> Columns() {
  MonteCarloColumn baseline{"a.recoup", "Baseline", {Draw(10000, 50000, 100), Draw(20000, 50000, 100), Draw(30000, 50000, 100)},
                            "1", false};
  MonteCarloColumn faster{"b.recoup", "Faster", {Draw(20000, 50000, 300), Draw(30000, 50000, 300), Draw(40000, 50000, 300)},
                          "2", true};
  return {baseline, faster};
}

TEST_CASE("monte carlo report columns: means, intervals and the curve by day", "[monte-carlo][report]") {
  const std::vector<PolicyColumn> columns = MonteCarloPolicyColumns(Header(), Columns());
  REQUIRE(columns.size() == 2);
  CHECK(columns[1].version == "2");
  CHECK(columns[1].customer_subject);
  REQUIRE(columns[0].intervals);
  const PolicyIntervals& baseline = *columns[0].intervals;
  const PolicyIntervals& faster = *columns[1].intervals;
  CHECK(baseline.draws == 3);
  // Collected 600, 700 and 800 USD: mean 700, interval from the 2.5% to the 97.5% point.
  CHECK(baseline.figures.at("collected").mean == Approx(700));
  CHECK(baseline.figures.at("collected").low == Approx(605));
  CHECK(baseline.figures.at("collected").high == Approx(795));
  // Net recovered has its own summary: collected less the 1.00 email.
  CHECK(baseline.figures.at("net_recovered").mean == Approx(699));
  CHECK(baseline.segments.at("smb").at("recovery_rate_percent").mean == Approx(70));
  // Differences only after the first policy, draw by draw: +100 collected in every draw.
  CHECK(baseline.differences.empty());
  const DrawSummary& difference = faster.differences.at("collected");
  CHECK(difference.mean == Approx(100));
  CHECK(difference.high - difference.low == Approx(0).margin(1e-9));
  CHECK(difference.distinguishable());
  CHECK(!faster.differences.at("invoices").distinguishable());
  // The curve: 20% on the due date, the same on day 1, 70% from day 2; one entry per day to the horizon.
  REQUIRE(baseline.recovery_curve.size() == 4);
  CHECK(baseline.recovery_curve[0].mean == Approx(20));
  CHECK(baseline.recovery_curve[0].low == Approx(10.5));
  CHECK(baseline.recovery_curve[1].mean == Approx(20));
  CHECK(baseline.recovery_curve[2].mean == Approx(70));
  CHECK(baseline.recovery_curve[3].mean == Approx(70));
  // Each action kind's cost in major units.
  const auto email = static_cast<std::size_t>(compiler::ActionKind::Email);
  CHECK(faster.action_costs.at(email).mean == Approx(3));
  CHECK(faster.action_costs.at(static_cast<std::size_t>(compiler::ActionKind::Call)).mean == 0);
}

TEST_CASE("monte carlo JSON: net recovered, cost by action and the recovery curve", "[monte-carlo][report]") {
  const std::string json = RenderMonteCarloReport(Header(), Columns(), ReportFormat::Json);
  CHECK(json.find("\"net_recovered\": {\"mean\": 699,") != std::string::npos);
  CHECK(json.find("\"contact_cost_by_action\": {\n        \"email\": {\"mean\": 1,") != std::string::npos);
  CHECK(json.find("\"mean\": [20, 20, 70, 70]") != std::string::npos);
  CHECK(json.find("\"low\": [10.5, 10.5, 60.5, 60.5]") != std::string::npos);
  // The table shows net recovered too.
  const std::string table = RenderMonteCarloReport(Header(), Columns(), ReportFormat::Table);
  CHECK(table.find("Net recovered") != std::string::npos);
}

// The whiskers over the HTML report's bars carry the JSON's intervals: each
// policy's recovery rate in segment smb and its email cost.
TEST_CASE("monte carlo HTML report: the bar charts' whiskers are the JSON's intervals", "[monte-carlo][report]") {
  const std::vector<PolicyColumn> columns = MonteCarloPolicyColumns(Header(), Columns());
  const std::string page = RenderHtmlReport(ReportHeader{"ledger", Header().as_of, 3, 30}, columns, ReportProvenance{});
  const runtime::JsonParseResult json = runtime::ParseJson(RenderMonteCarloReport(Header(), Columns(), ReportFormat::Json));
  REQUIRE(json.value);
  const runtime::JsonValue& policies = *json.value->Find("policies");
  REQUIRE(policies.items.size() == 2);
  for (std::size_t p = 0; p < 2; ++p) {
    const runtime::JsonValue& rate = *policies.items[p].Find("segments")->Find("smb")->Find("recovery_rate_percent");
    const runtime::JsonValue& email = *policies.items[p].Find("contact_cost_by_action")->Find("email");
    const std::string rate_marks = fmt::format(
        "<g class=\"error-bar\" data-key=\"recovery_rate_percent\" data-policy=\"{}\" data-segment=\"smb\" "
        "data-low=\"{:.1f}\" data-high=\"{:.1f}\"><title>[{}] {}, smb: mean {:.1f}%, 95% interval {:.1f}% to {:.1f}%</title>",
        p + 1, rate.Find("low")->number, rate.Find("high")->number, p + 1, columns[p].name, rate.Find("mean")->number,
        rate.Find("low")->number, rate.Find("high")->number);
    INFO(rate_marks);
    CHECK(page.find(rate_marks) != std::string::npos);
    const std::string email_marks = fmt::format(
        "data-key=\"contact_cost_by_action\" data-policy=\"{}\" data-action=\"email\" data-low=\"{:.2f}\" "
        "data-high=\"{:.2f}\">",
        p + 1, email.Find("low")->number, email.Find("high")->number);
    INFO(email_marks);
    CHECK(page.find(email_marks) != std::string::npos);
  }
  // The baseline's recovery rate in smb spreads over the draws (60% to 80%): a whisker of some height.
  CHECK(page.find("data-segment=\"smb\" data-low=\"60.5\" data-high=\"79.5\"") != std::string::npos);
}

TEST_CASE("monte carlo differences of money between two currencies are undefined", "[monte-carlo][report]") {
  std::vector<MonteCarloColumn> columns = Columns();
  for (simulation::Metrics& draw : columns[1].draws) draw.currency = *runtime::FindCurrency("EUR");
  const std::vector<PolicyColumn> report = MonteCarloPolicyColumns(Header(), columns);
  const PolicyIntervals& euro = *report[1].intervals;
  CHECK(euro.differences.at("collected").defined == 0);
  CHECK(euro.differences.at("net_recovered").defined == 0);
  CHECK(euro.differences.at("recovery_rate_percent").defined == 3);  // a ratio compares across currencies
  const std::string json = RenderMonteCarloReport(Header(), columns, ReportFormat::Json);
  CHECK(json.find("\"difference_to_baseline\": {\n        \"invoices\"") != std::string::npos);
  CHECK(json.find("\"collected\": null") != std::string::npos);
}

}  // namespace
}  // namespace recoup::driver
