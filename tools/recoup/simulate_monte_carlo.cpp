// The Monte Carlo report: each figure's value in every draw, summarised.
#include "tools/recoup/simulate_monte_carlo.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "runtime/json.h"
#include "tools/recoup/simulate_report.h"

namespace recoup::driver {
namespace {

// A figure as a number for summaries: money in major units, percentages
// as percent, NaN when undefined.
double Value(const FigureRow& row, runtime::CurrencyId currency) {
  switch (row.kind) {
    case FigureKind::Count: return static_cast<double>(row.integer);
    case FigureKind::Money: return static_cast<double>(row.integer) / std::pow(10.0, runtime::InfoOf(currency).exponent);
    default:
      if (!row.ratio.defined()) return std::numeric_limits<double>::quiet_NaN();
      return static_cast<double>(row.ratio.numerator) / static_cast<double>(row.ratio.denominator) *
             (row.kind == FigureKind::Percent ? 100.0 : 1.0);
  }
}

int Decimals(FigureKind kind, runtime::CurrencyId currency) {
  switch (kind) {
    case FigureKind::Count: return 1;
    case FigureKind::Money: return runtime::InfoOf(currency).exponent;
    case FigureKind::Ratio: return 2;
    default: return 1;
  }
}

std::string Number(double value, int decimals, bool signed_value) {
  if (std::isnan(value)) return "n/a";
  if (value == 0) value = 0;  // no "-0.0"
  return signed_value && value > 0 ? fmt::format("+{:.{}f}", value, decimals) : fmt::format("{:.{}f}", value, decimals);
}

// Every row's summary for one policy (or one difference), in row order.
struct SummaryColumn {
  std::vector<FigureRow> rows;  // labels and kinds, from the first draw
  std::vector<DrawSummary> summaries;
};

// The figures of one group in one draw: all customers (segment empty and
// `overall` true) or one segment (zero figures when the draw has none of it).
simulation::Figures GroupFigures(const simulation::Metrics& metrics, const std::optional<std::string>& segment) {
  if (!segment) return metrics.overall;
  for (const simulation::SegmentFigures& figures : metrics.segments) {
    if (figures.segment == *segment) return figures.figures;
  }
  return simulation::Figures{};
}

// Every figure of a group and the headline's net recovered, which has an
// interval of its own (it is not the difference of the intervals of its parts).
std::vector<FigureRow> Rows(const simulation::Figures& figures) {
  std::vector<FigureRow> rows = FigureRows(figures);
  rows.push_back(NetRecoveredRow(figures));
  return rows;
}

SummaryColumn SummariseColumn(const MonteCarloColumn& column, const MonteCarloColumn* baseline,
                              const std::optional<std::string>& segment) {
  SummaryColumn summary;
  const runtime::CurrencyId currency = column.draws.front().currency;
  summary.rows = Rows(GroupFigures(column.draws.front(), segment));
  std::vector<std::vector<double>> values(summary.rows.size());
  for (std::size_t d = 0; d < column.draws.size(); ++d) {
    std::vector<FigureRow> rows = Rows(GroupFigures(column.draws[d], segment));
    std::vector<FigureRow> base;
    if (baseline != nullptr) base = Rows(GroupFigures(baseline->draws[d], segment));
    // Money in two currencies has no difference (as in the replay's report): undefined.
    const bool other_currency = baseline != nullptr && baseline->draws[d].currency != column.draws[d].currency;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (baseline == nullptr) {
        values[r].push_back(Value(rows[r], currency));
      } else if (other_currency && rows[r].kind == FigureKind::Money) {
        values[r].push_back(std::numeric_limits<double>::quiet_NaN());
      } else {
        values[r].push_back(Value(rows[r], currency) - Value(base[r], baseline->draws[d].currency));
      }
    }
  }
  for (std::vector<double>& row_values : values) summary.summaries.push_back(Summarise(std::move(row_values)));
  return summary;
}

// The groups reported: all customers, then each segment any policy saw.
std::vector<std::optional<std::string>> Groups(const std::vector<MonteCarloColumn>& columns) {
  std::set<std::string> names;
  for (const MonteCarloColumn& column : columns) {
    for (const simulation::SegmentFigures& segment : column.draws.front().segments) names.insert(segment.segment);
  }
  std::vector<std::optional<std::string>> groups{std::nullopt};
  for (const std::string& name : names) groups.emplace_back(name);
  return groups;
}

// The recovery curve's last day: the horizon, or the latest day past due on
// which any draw collected, whichever is later (docs/reports.md).
std::int32_t LastCurveDay(const MonteCarloColumn& column, std::int32_t horizon_days) {
  std::int32_t last = horizon_days;
  for (const simulation::Metrics& draw : column.draws) {
    last = std::max<std::int32_t>(last, static_cast<std::int32_t>(draw.collected_on_day.size()) - 1);
  }
  return last;
}

// Each day's share of the invoiced amount collected by then (percent), over the draws.
std::vector<DrawSummary> SummariseCurve(const MonteCarloColumn& column, std::int32_t horizon_days) {
  const std::int32_t last = LastCurveDay(column, horizon_days);
  std::vector<std::vector<double>> values(static_cast<std::size_t>(last) + 1);
  for (const simulation::Metrics& draw : column.draws) {
    const std::vector<std::int64_t> cumulative = simulation::CumulativeCollected(draw, last);
    const double invoiced = static_cast<double>(draw.overall.invoiced);
    for (std::int32_t day = 0; day <= last; ++day) {
      values[day].push_back(invoiced > 0 ? static_cast<double>(cumulative[day]) * 100.0 / invoiced : 0);
    }
  }
  std::vector<DrawSummary> curve;
  for (std::vector<double>& day_values : values) curve.push_back(Summarise(std::move(day_values)));
  return curve;
}

// Each action kind's contact cost (major units) over the draws.
std::vector<DrawSummary> SummariseActionCosts(const MonteCarloColumn& column) {
  const double scale = std::pow(10.0, runtime::InfoOf(column.draws.front().currency).exponent);
  std::vector<DrawSummary> costs;
  for (std::size_t a = 0; a < compiler::kActionKindCount; ++a) {
    std::vector<double> values;
    for (const simulation::Metrics& draw : column.draws) values.push_back(static_cast<double>(draw.overall.action_costs[a]) / scale);
    costs.push_back(Summarise(std::move(values)));
  }
  return costs;
}

// The action kinds any policy took or paid for in any draw, in kind order.
std::vector<std::size_t> ActionKindsTaken(const std::vector<MonteCarloColumn>& columns) {
  std::vector<std::size_t> kinds;
  for (std::size_t a = 0; a < compiler::kActionKindCount; ++a) {
    bool taken = false;
    for (const MonteCarloColumn& column : columns) {
      for (const simulation::Metrics& draw : column.draws) {
        taken = taken || draw.overall.actions[a] > 0 || draw.overall.action_costs[a] != 0;
      }
    }
    if (taken) kinds.push_back(a);
  }
  return kinds;
}

std::string GroupTitle(const std::optional<std::string>& group) {
  if (!group) return "All customers";
  return group->empty() ? "Customers without a segment" : fmt::format("Segment `{}`", *group);
}

bool AllZero(const std::vector<SummaryColumn>& columns, std::size_t row) {
  for (const SummaryColumn& column : columns) {
    const DrawSummary& summary = column.summaries[row];
    if (summary.defined > 0 && (summary.mean != 0 || summary.low != 0 || summary.high != 0)) return false;
  }
  return true;
}

std::string Cell(const DrawSummary& summary, FigureKind kind, runtime::CurrencyId currency, bool difference) {
  if (summary.defined == 0) return "n/a";
  const int decimals = Decimals(kind, currency);
  std::string text = fmt::format("{} [{} to {}]", Number(summary.mean, decimals, difference),
                                 Number(summary.low, decimals, difference), Number(summary.high, decimals, difference));
  if (difference) text += summary.distinguishable() ? "  " : " ~0";
  return text;
}

std::string Preamble(const MonteCarloHeader& header, const std::vector<MonteCarloColumn>& columns) {
  std::string text = fmt::format(
      "Monte Carlo: {} draws, seed {}, model {}{}\nLedger {}, as of {}, horizon {}d after each due date\n",
      header.draws, header.seed, header.model, header.parameter_uncertainty ? ", with parameter uncertainty" : "",
      header.ledger, header.as_of.ToIso(), header.horizon_days);
  for (std::size_t p = 0; p < columns.size(); ++p) {
    text += fmt::format("  {}: {} ({}){}\n", p == 0 ? "baseline" : fmt::format("policy {}", p + 1), columns[p].name,
                        columns[p].file, "");
  }
  text += "Each figure: mean over the draws [2.5% to 97.5% of the draws]. Differences are per draw, with common random "
          "numbers;\n~0 marks a difference whose interval contains zero (not distinguishable from no difference).\n";
  return text;
}

std::string RenderTable(const MonteCarloHeader& header, const std::vector<MonteCarloColumn>& columns) {
  const runtime::CurrencyId currency = columns.front().draws.front().currency;
  std::string text = Preamble(header, columns);
  for (const std::optional<std::string>& group : Groups(columns)) {
    std::vector<SummaryColumn> summaries;
    std::vector<std::string> titles;
    for (std::size_t p = 0; p < columns.size(); ++p) {
      summaries.push_back(SummariseColumn(columns[p], nullptr, group));
      titles.push_back(columns[p].name);
    }
    for (std::size_t p = 1; p < columns.size(); ++p) {
      summaries.push_back(SummariseColumn(columns[p], &columns[0], group));
      titles.push_back(fmt::format("{} - {}", columns[p].name, columns[0].name));
    }
    std::vector<std::vector<std::string>> lines;
    std::vector<std::string> head{""};
    for (const std::string& title : titles) head.push_back(title);
    lines.push_back(std::move(head));
    const std::vector<FigureRow>& rows = summaries.front().rows;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].hide_when_zero && AllZero(summaries, r)) continue;
      std::vector<std::string> line{rows[r].label};
      for (std::size_t c = 0; c < summaries.size(); ++c) {
        line.push_back(Cell(summaries[c].summaries[r], rows[r].kind, currency, c >= columns.size()));
      }
      lines.push_back(std::move(line));
    }
    std::vector<std::size_t> widths(lines.front().size(), 0);
    for (const auto& line : lines) {
      for (std::size_t c = 0; c < line.size(); ++c) widths[c] = std::max(widths[c], line[c].size());
    }
    text += fmt::format("\n== {} (money in {})\n", GroupTitle(group), runtime::InfoOf(currency).code);
    for (const auto& line : lines) {
      std::string out = fmt::format("{:<{}}", line[0], widths[0]);
      for (std::size_t c = 1; c < line.size(); ++c) out += fmt::format("  {:>{}}", line[c], widths[c]);
      text += out + "\n";
    }
  }
  return text;
}

std::string JsonSummary(const DrawSummary& summary, bool difference) {
  if (summary.defined == 0) return "null";
  std::string text = fmt::format("{{\"mean\": {}, \"low\": {}, \"high\": {}, \"standard_error\": {}, \"draws\": {}",
                                 summary.mean, summary.low, summary.high, summary.standard_error, summary.defined);
  if (difference) text += fmt::format(", \"distinguishable_from_zero\": {}", summary.distinguishable() ? "true" : "false");
  return text + "}";
}

std::string JsonFigures(const SummaryColumn& column, bool difference) {
  std::string text = "{";
  for (std::size_t r = 0; r < column.rows.size(); ++r) {
    text += fmt::format("{}\n        {}: {}", r ? "," : "", runtime::JsonQuote(column.rows[r].key),
                        JsonSummary(column.summaries[r], difference));
  }
  return text + "\n      }";
}

// `"figures": {...}, "segments": {"name": {...}}` of one policy (or its difference).
std::string JsonGroups(const std::vector<MonteCarloColumn>& columns, std::size_t p, const MonteCarloColumn* baseline) {
  const bool difference = baseline != nullptr;
  std::string text;
  std::string segments;
  for (const std::optional<std::string>& group : Groups(columns)) {
    const std::string figures = JsonFigures(SummariseColumn(columns[p], baseline, group), difference);
    if (!group) {
      text = figures;
    } else {
      segments += fmt::format("{}\n        {}: {}", segments.empty() ? "" : ",", runtime::JsonQuote(*group), figures);
    }
  }
  return text + ",\n      \"" + (difference ? "difference_segments" : "segments") + "\": {" + segments +
         (segments.empty() ? "}" : "\n      }");
}

// Each action kind any policy took: {"email": summary, ...}.
std::string JsonActionCosts(const std::vector<MonteCarloColumn>& columns, std::size_t p) {
  const std::vector<DrawSummary> costs = SummariseActionCosts(columns[p]);
  std::string text;
  for (std::size_t a : ActionKindsTaken(columns)) {
    text += fmt::format("{}\n        {}: {}", text.empty() ? "" : ",", runtime::JsonQuote(ActionKey(a)),
                        JsonSummary(costs[a], false));
  }
  return "{" + text + (text.empty() ? "}" : "\n      }");
}

// The curve by day past due (index 0: on or before the due date), as three
// arrays: the mean and the interval's ends.
std::string JsonCurve(const std::vector<DrawSummary>& curve) {
  std::string mean, low, high;
  for (std::size_t day = 0; day < curve.size(); ++day) {
    const char* comma = day ? ", " : "";
    mean += fmt::format("{}{}", comma, curve[day].mean);
    low += fmt::format("{}{}", comma, curve[day].low);
    high += fmt::format("{}{}", comma, curve[day].high);
  }
  return fmt::format("{{\n        \"mean\": [{}],\n        \"low\": [{}],\n        \"high\": [{}]\n      }}", mean, low, high);
}

std::string RenderJson(const MonteCarloHeader& header, const std::vector<MonteCarloColumn>& columns) {
  std::string text = fmt::format(
      "{{\n  \"mode\": \"monte_carlo\",\n  \"ledger\": {},\n  \"model\": {},\n  \"as_of\": \"{}\",\n  \"horizon_days\": {},\n"
      "  \"draws\": {},\n  \"seed\": {},\n  \"parameter_uncertainty\": {},\n  \"interval\": \"2.5% to 97.5% of the draws\",\n"
      "  \"currency\": \"{}\",\n  \"money_unit\": \"major\",\n  \"policies\": [",
      runtime::JsonQuote(header.ledger), runtime::JsonQuote(header.model), header.as_of.ToIso(), header.horizon_days,
      header.draws, header.seed, header.parameter_uncertainty ? "true" : "false",
      runtime::InfoOf(columns.front().draws.front().currency).code);
  for (std::size_t p = 0; p < columns.size(); ++p) {
    text += fmt::format("{}\n    {{\n      \"file\": {},\n      \"name\": {},\n      \"figures\": {}", p ? "," : "",
                        runtime::JsonQuote(columns[p].file), runtime::JsonQuote(columns[p].name),
                        JsonGroups(columns, p, nullptr));
    if (p > 0) text += fmt::format(",\n      \"difference_to_baseline\": {}", JsonGroups(columns, p, &columns[0]));
    text += ",\n      \"contact_cost_by_action\": " + JsonActionCosts(columns, p);
    text += ",\n      \"recovery_curve_percent\": " + JsonCurve(SummariseCurve(columns[p], header.horizon_days));
    text += "\n    }";
  }
  return text + "\n  ]\n}\n";
}

}  // namespace

DrawSummary Summarise(std::vector<double> values) {
  DrawSummary summary;
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  summary.defined = values.size();
  if (values.empty()) return summary;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double value : values) sum += value;
  summary.mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (double value : values) squares += (value - summary.mean) * (value - summary.mean);
  const double n = static_cast<double>(values.size());
  summary.standard_error = values.size() > 1 ? std::sqrt(squares / (n - 1) / n) : 0;
  auto quantile = [&](double q) {
    const double position = q * (n - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(values.size() - 1, below + 1);
    return values[below] + (values[above] - values[below]) * (position - static_cast<double>(below));
  };
  summary.low = quantile(0.025);
  summary.high = quantile(0.975);
  return summary;
}

std::string RenderMonteCarloReport(const MonteCarloHeader& header, const std::vector<MonteCarloColumn>& columns,
                                   ReportFormat format) {
  return format == ReportFormat::Json ? RenderJson(header, columns) : RenderTable(header, columns);
}

std::vector<PolicyColumn> MonteCarloPolicyColumns(const MonteCarloHeader& header,
                                                  const std::vector<MonteCarloColumn>& columns) {
  std::vector<PolicyColumn> report;
  for (std::size_t p = 0; p < columns.size(); ++p) {
    const MonteCarloColumn& column = columns[p];
    PolicyIntervals intervals;
    intervals.draws = column.draws.size();
    for (const std::optional<std::string>& group : Groups(columns)) {
      const SummaryColumn summary = SummariseColumn(column, nullptr, group);
      std::map<std::string, DrawSummary>& figures = group ? intervals.segments[*group] : intervals.figures;
      for (std::size_t r = 0; r < summary.rows.size(); ++r) figures[summary.rows[r].key] = summary.summaries[r];
    }
    if (p > 0) {
      const SummaryColumn summary = SummariseColumn(column, &columns[0], std::nullopt);
      for (std::size_t r = 0; r < summary.rows.size(); ++r) intervals.differences[summary.rows[r].key] = summary.summaries[r];
    }
    intervals.recovery_curve = SummariseCurve(column, header.horizon_days);
    intervals.action_costs = SummariseActionCosts(column);
    report.push_back(PolicyColumn{column.file, column.name, column.version, column.customer_subject,
                                  column.draws.front(), std::move(intervals)});
  }
  return report;
}

}  // namespace recoup::driver
